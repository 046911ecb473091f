using System.Text;
using RemoltBlazor.Sandboxes.Local;
using RemoltBlazor.Sandboxes.Runtime;
using RemoltBlazor.Sandboxes.Tests.Contract;
using RemoltBlazor.Sandboxes.Tests.Contract.Local;
using RemoltBlazor.TestSupport;

namespace RemoltBlazor.Sandboxes.Tests.Local;

/// <summary>A restarted server (a second runtime over the same data folder) adopts live sandboxes; the network-less mode relays ports.</summary>
public sealed class LocalRestartTests : IDisposable
{
    private static readonly TimeSpan s_timeout = TimeSpan.FromSeconds(60);
    private readonly string _data = TestDataFolder.Create("local-restart");

    [LocalFact]
    public async Task RestartedServer_ListsAndAttachesToTheSandbox_WithTheEarlierOutput()
    {
        var first = LocalContractHost.NewRuntime(_data);
        var sessionId = $"r-{Guid.NewGuid():N}"[..14];
        var sandboxId = (await first.CreateAsync(new SandboxSpec(sessionId, "bob", "shell", "local", new Dictionary<string, string>()) { InstanceId = "i1" }, CancellationToken.None).WaitAsync(s_timeout)).SandboxId;
        await using (var terminal = new TerminalReader(await first.AttachTerminalAsync(sandboxId, new TerminalAttachOptions(), CancellationToken.None).WaitAsync(s_timeout), timeout: s_timeout))
        {
            await terminal.SendAsync("echo before-$((20+3))-restart\r");
            await terminal.WaitForAsync("before-23-restart");
        }

        var second = LocalContractHost.NewRuntime(_data);

        (await second.ListManagedAsync(CancellationToken.None)).ShouldBe([new SandboxInfo(sandboxId, sessionId, "bob", "shell", Running: true) { InstanceId = "i1" }]);
        await using var again = new TerminalReader(await second.AttachTerminalAsync(sandboxId, new TerminalAttachOptions(), CancellationToken.None).WaitAsync(s_timeout), timeout: s_timeout);
        await again.WaitForAsync("before-23-restart");
        second.Sandboxes.Stop(sandboxId);
        (await second.ListManagedAsync(CancellationToken.None)).Single().Running.ShouldBeFalse();
    }

    [LocalFact]
    public async Task NoNetwork_ConnectAsync_RelaysToTheSandboxsOwnLoopback()
    {
        var runtime = LocalContractHost.NewRuntime(_data, LocalOptions.NoNetwork);
        var sandboxId = (await runtime.CreateAsync(new SandboxSpec($"n-{Guid.NewGuid():N}"[..14], "bob", "shell", "local", new Dictionary<string, string>()), CancellationToken.None).WaitAsync(s_timeout)).SandboxId;
        const int port = 17556;
        var started = await runtime.ExecAsync(sandboxId, ["bash", "-c", $"(setsid socat TCP-LISTEN:{port},bind=127.0.0.1,fork,reuseaddr EXEC:cat >/dev/null 2>&1 &); " +
            $"for i in $(seq 50); do (exec 3<>/dev/tcp/127.0.0.1/{port}) 2>/dev/null && exit 0; sleep 0.1; done; exit 1"], ReadOnlyMemory<byte>.Empty, CancellationToken.None);
        started.ExitCode.ShouldBe(0, Encoding.UTF8.GetString(started.Stderr));

        await using var connection = await runtime.ConnectAsync(sandboxId, port, CancellationToken.None).WaitAsync(s_timeout);
        await connection.WriteAsync("ping\n"u8.ToArray());
        var echoed = new byte[5];
        await connection.ReadExactlyAsync(echoed).AsTask().WaitAsync(s_timeout);

        echoed.ShouldBe("ping\n"u8.ToArray());
        (await runtime.ExecAsync(sandboxId, ["sh", "-c", "awk -F: 'NR > 2 { gsub(/ /, \"\", $1); print $1 }' /proc/net/dev"], ReadOnlyMemory<byte>.Empty, CancellationToken.None)).Stdout.ShouldBe("lo\n"u8.ToArray());
    }

    public void Dispose()
    {
        LocalContractHost.KillAll(_data);
        TestDataFolder.Delete(_data);
    }
}
