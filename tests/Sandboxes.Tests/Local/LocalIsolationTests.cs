using System.Text;
using Microsoft.Data.Sqlite;
using RemoltBlazor.Sandboxes.Local;
using RemoltBlazor.Sandboxes.Runtime;
using RemoltBlazor.Sandboxes.Tests.Contract.Local;
using RemoltBlazor.TestSupport;

namespace RemoltBlazor.Sandboxes.Tests.Local;

/// <summary>
/// What a session's code cannot do to the host or to another session, each tried as an attacker inside would:
/// two sandboxes of one data folder that holds a real SQLite database.
/// </summary>
public sealed class LocalIsolationTests : IAsyncLifetime
{
    private static readonly TimeSpan s_timeout = TimeSpan.FromSeconds(60);
    // Not under /tmp (every sandbox's /tmp is its own anyway): on the host root, which sandboxes see read-only,
    // so only the runtime's hiding keeps them out of it.
    private readonly string _data = $"/var/tmp/remolt-local-isolation-{Guid.NewGuid():N}";
    private LocalRuntime _runtime = null!;
    private string _a = "";
    private string _b = "";

    public async Task InitializeAsync()
    {
        if (TestEnvironment.LocalSkipReason is not null)
        {
            return;
        }

        Directory.CreateDirectory(_data);
        await using (var db = new SqliteConnection($"Data Source={Path.Combine(_data, "remolt.db")}"))
        {
            await db.OpenAsync();
            await using var create = db.CreateCommand();
            create.CommandText = "CREATE TABLE secrets (v TEXT); INSERT INTO secrets VALUES ('db-secret-value');";
            await create.ExecuteNonQueryAsync();
        }

        _runtime = LocalContractHost.NewRuntime(_data);
        _a = (await _runtime.CreateAsync(Spec("a"), CancellationToken.None).WaitAsync(s_timeout)).SandboxId;
        _b = (await _runtime.CreateAsync(Spec("b"), CancellationToken.None).WaitAsync(s_timeout)).SandboxId;
        await ShAsync(_b, "echo b-private > ~/workspace/b-secret.txt");
    }

    public Task DisposeAsync()
    {
        LocalContractHost.KillAll(_data);
        TestDataFolder.Delete(_data);
        return Task.CompletedTask;
    }

    [LocalFact]
    public async Task Sandbox_CannotSeeTheDataFolderTheDatabaseOtherHomesTheServerOrRoot()
    {
        var otherHome = Path.Combine(_data, "sandboxes", _b, "home", "workspace", "b-secret.txt");
        var server = Path.Combine(AppContext.BaseDirectory, "RemoltBlazor.Sandboxes.dll");
        var script =
            $"for p in '{otherHome}' '{Path.Combine(_data, "remolt.db")}' '{server}' /root/.bashrc; do if cat \"$p\" >/dev/null 2>&1; then echo \"read $p\"; fi; done; " +
            $"echo \"$(ls -A '{_data}' | wc -l) $(ls -A /root | wc -l) $(ls /home)\"; grep -rl --exclude-dir=.remolt db-secret-value /tmp /home 2>/dev/null; true";

        var output = await ShAsync(_a, script);

        output.ShouldBe("0 0 dev\n"); // the data folder and /root are empty, only its own home under /home
        File.Exists(otherHome).ShouldBeTrue(); // the file it could not read is there
    }

    [LocalFact]
    public async Task Sandbox_CannotWriteOutsideItsHomeAndTmp()
    {
        var output = await ShAsync(_a,
            $"for d in /etc /usr /var/tmp /opt / '{_data}'; do touch \"$d/remolt-escape\" 2>/dev/null && echo \"wrote $d\"; done; " +
            "touch ~/ok /tmp/ok && echo home-and-tmp-ok");

        // The data folder is covered by an empty tmpfs of the sandbox's own: a write there stays in the sandbox.
        output.Replace($"wrote {_data}\n", "", StringComparison.Ordinal).ShouldBe("home-and-tmp-ok\n");
        File.Exists(Path.Combine(_data, "remolt-escape")).ShouldBeFalse();
    }

    [LocalFact]
    public async Task Sandbox_SeesOnlyItsOwnProcesses_HasNoCapabilities_AndCannotSignalAnotherSession()
    {
        await ShAsync(_b, "(setsid sleep 4321 >/dev/null 2>&1 &); true");

        var processes = await ShAsync(_a, "ps -eo args=");
        var caps = await ShAsync(_a, "grep ^Cap /proc/self/status | awk '{print $2}' | sort -u");
        await ExecAsync(_a, ["sh", "-c", "kill -KILL -1"]); // everything it can reach: only its own

        processes.ShouldNotContain("sleep 4321");
        processes.ShouldNotContain("dotnet");
        processes.ShouldContain("remolt-init");
        caps.ShouldBe("0000000000000000\n");
        (await ShAsync(_b, "pgrep -fc '^sleep 4321'")).Trim().ShouldBe("1");
    }

    [LocalFact]
    public async Task ConnectAsync_AnotherSessionsLoopbackPort_IsClosedToThisSession()
    {
        const int port = 17555;
        await ShAsync(_b, $"exec bash -c '(setsid socat TCP-LISTEN:{port},bind=127.0.0.1,fork,reuseaddr EXEC:cat >/dev/null 2>&1 &); " +
            $"for i in $(seq 50); do (exec 3<>/dev/tcp/127.0.0.1/{port}) 2>/dev/null && exit 0; sleep 0.1; done; exit 1'");

        await Should.ThrowAsync<SandboxPortClosedException>(() => _runtime.ConnectAsync(_a, port, CancellationToken.None).WaitAsync(s_timeout));
        await using var own = await _runtime.ConnectAsync(_b, port, CancellationToken.None).WaitAsync(s_timeout);
        await own.WriteAsync("ping\n"u8.ToArray());
        var echoed = new byte[5];
        await own.ReadExactlyAsync(echoed).AsTask().WaitAsync(s_timeout);
        echoed.ShouldBe("ping\n"u8.ToArray());
    }

    [LocalFact]
    public async Task AttachTerminalAsync_SocketReplacedByALinkToAnotherSessions_ReachesNeitherSession()
    {
        var otherSocket = Path.Combine(_data, "sandboxes", _b, "tmux", "default");
        await ShAsync(_a, $"mv /tmp/tmux-1000/default /tmp/tmux-1000/moved && ln -s '{otherSocket}' /tmp/tmux-1000/default");

        await Should.ThrowAsync<SandboxRuntimeException>(() => _runtime.AttachTerminalAsync(_a, new TerminalAttachOptions(), CancellationToken.None).WaitAsync(s_timeout));

        (await ShAsync(_b, "tmux list-clients | wc -l")).Trim().ShouldBe("0");
    }

    [LocalFact]
    public async Task CreateAsync_WhileTheServerHoldsAnInheritableSocketHandle_TheSandboxGetsNoneOfIt()
    {
        // What a terminal attach holds for a moment: a handle on another session's tmux socket, not O_CLOEXEC.
        using var leaked = LocalNative.OpenSocketPath(Path.Combine(_data, "sandboxes", _b, "tmux", "default"));
        var third = (await _runtime.CreateAsync(Spec("c"), CancellationToken.None).WaitAsync(s_timeout)).SandboxId;

        // An O_PATH handle shows as the path it was opened by: the other session's socket path must appear nowhere.
        (await ShAsync(third, $"find /proc/[0-9]*/fd -lname '*{_b}*' 2>/dev/null | wc -l")).Trim().ShouldBe("0");
    }

    private SandboxSpec Spec(string name) =>
        new($"iso-{name}-{Guid.NewGuid():N}"[..20], "mallory", "shell", "local", new Dictionary<string, string>());

    private Task<ExecResult> ExecAsync(string sandboxId, IReadOnlyList<string> command) =>
        _runtime.ExecAsync(sandboxId, command, ReadOnlyMemory<byte>.Empty, CancellationToken.None).WaitAsync(s_timeout);

    private async Task<string> ShAsync(string sandboxId, string script)
    {
        var result = await ExecAsync(sandboxId, ["sh", "-c", script]);
        result.ExitCode.ShouldBe(0, Encoding.UTF8.GetString(result.Stderr));
        return Encoding.UTF8.GetString(result.Stdout);
    }
}
