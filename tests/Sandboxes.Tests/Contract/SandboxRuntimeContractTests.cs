using System.Runtime.CompilerServices;
using System.Text;
using RemoltBlazor.Sandboxes.Runtime;

namespace RemoltBlazor.Sandboxes.Tests.Contract;

/// <summary>
/// What every sandbox runtime (Docker, Kubernetes, local) must do, so that nothing above the runtime ever asks which
/// one it has. A runtime passes it with one line: <c>class XRuntimeContractTests(XHost host) : SandboxRuntimeContractTests&lt;XHost&gt;(host)</c>.
/// The tests are split over partial files by area. Tests that do not disturb each other share one sandbox per class
/// (<see cref="SharedSandboxAsync"/>, each in its own tmux window or path); tests that create or remove make their own.
/// </summary>
public abstract partial class SandboxRuntimeContractTests<THost> : IClassFixture<THost>
    where THost : class, IRuntimeContractHost
{
    /// <summary>The shared sandbox of each host (one per test class), created by the first test that needs it.</summary>
    private static readonly ConditionalWeakTable<THost, Lazy<Task<SandboxHandle>>> s_shared = [];

    protected SandboxRuntimeContractTests(THost host) => Host = host;

    protected THost Host { get; }

    protected ISandboxRuntime Runtime => Host.Runtime;

    protected TimeSpan Timeout => Host.Timeout;

    /// <summary>The environment the shared sandbox is created with.</summary>
    protected static IReadOnlyDictionary<string, string> SharedEnv { get; } = new Dictionary<string, string>
    {
        ["REMOLT_TEST"] = "1",
        ["CONTRACT_GREETING"] = "hello contract",
    };

    /// <summary>A session id of this class's own, unique across runs sharing the engine.</summary>
    protected static string NewSessionId() => $"c-{Guid.NewGuid():N}"[..14];

    protected SandboxSpec Spec(string sessionId, string owner = "bob", string agent = "shell", IReadOnlyDictionary<string, string>? env = null, string? image = null) =>
        new(sessionId, owner, agent, image ?? Host.SandboxImage, env ?? new Dictionary<string, string>()) { InstanceId = Host.InstanceId };

    protected Task<SandboxHandle> CreateAsync(SandboxSpec spec) => Runtime.CreateAsync(spec, CancellationToken.None).WaitAsync(Timeout);

    /// <summary>The class's one running sandbox (owner "tester", agent "shell", <see cref="SharedEnv"/>); its id.</summary>
    protected async Task<string> SharedSandboxAsync()
    {
        var lazy = s_shared.GetValue(Host, host => new Lazy<Task<SandboxHandle>>(() => CreateAsync(Spec(NewSessionId(), "tester", "shell", SharedEnv))));
        return (await lazy.Value).SandboxId;
    }

    protected async Task<SandboxInfo?> ListedAsync(string sessionId) =>
        (await Runtime.ListManagedAsync(CancellationToken.None).WaitAsync(Timeout)).SingleOrDefault(s => s.SessionId == sessionId);

    protected async Task<ExecResult> ExecAsync(string sandboxId, IReadOnlyList<string> command, ReadOnlyMemory<byte> stdin = default) =>
        await Runtime.ExecAsync(sandboxId, command, stdin, CancellationToken.None).WaitAsync(Timeout);

    /// <summary>Runs <paramref name="script"/> under <c>sh -c</c> and returns its stdout; a failing script fails the test.</summary>
    protected async Task<string> ShAsync(string sandboxId, string script)
    {
        var result = await ExecAsync(sandboxId, ["sh", "-c", script]);
        result.ExitCode.ShouldBe(0, $"{script}: {Encoding.UTF8.GetString(result.Stderr)}");
        return Encoding.UTF8.GetString(result.Stdout);
    }

    private protected async Task<TerminalReader> AttachAsync(string sandboxId, TerminalAttachOptions options)
    {
        var stream = await Runtime.AttachTerminalAsync(sandboxId, options, CancellationToken.None).WaitAsync(Timeout);
        return new TerminalReader(stream, timeout: Timeout);
    }

    private protected Task<TerminalReader> AttachAsync(string sandboxId, int window, int columns = 120, int rows = 30) =>
        AttachAsync(sandboxId, new TerminalAttachOptions(window, new TerminalSize(columns, rows)));

    protected static async Task<byte[]> ReadAllAsync(Stream stream)
    {
        using var buffer = new MemoryStream();
        await stream.CopyToAsync(buffer);
        return buffer.ToArray();
    }
}
