using System.Text;
using RemoltBlazor.Sandboxes.Runtime;

namespace RemoltBlazor.TestSupport;

/// <summary>
/// A sandbox runtime that records what the session layer asks of it. It can fail or hold creates and answers the
/// tmux list-sessions exec with a chosen number of lines; every other exec succeeds with no output.
/// </summary>
public sealed class FakeSandboxRuntime : ISandboxRuntime
{
    private readonly Lock _gate = new();
    private readonly List<SandboxSpec> _creates = [];
    private readonly List<string> _removes = [];
    private readonly List<(string, string)> _assigns = [];
    private readonly List<RecordedExec> _execs = [];
    private readonly List<(string SandboxId, int Port)> _connects = [];
    private readonly HashSet<string> _live = new(StringComparer.Ordinal);
    private int _createCalls;
    private int _attachCalls;
    private int _statsCalls;
    private int _probeCalls;

    public string Name => "fake";

    /// <summary>Thrown by every create (after <see cref="CreateGate"/> opens).</summary>
    public Exception? CreateFailure { get; set; }

    /// <summary>When set, every create waits for it before answering.</summary>
    public TaskCompletionSource? CreateGate { get; set; }

    /// <summary>Thrown by every non-tmux exec (e.g. the secret write).</summary>
    public Exception? ExecFailure { get; set; }

    public int ExecExitCode { get; set; }

    /// <summary>Lines the tmux list-sessions exec prints; null makes that exec fail.</summary>
    public IReadOnlyList<string>? TmuxSessions { get; set; } = ["main"];

    public bool Available { get; set; } = true;

    public IReadOnlyList<SandboxSpec> Creates
    {
        get
        {
            lock (_gate)
            {
                return [.. _creates];
            }
        }
    }

    public IReadOnlyList<string> Removes
    {
        get
        {
            lock (_gate)
            {
                return [.. _removes];
            }
        }
    }

    public IReadOnlyList<RecordedExec> Execs
    {
        get
        {
            lock (_gate)
            {
                return [.. _execs];
            }
        }
    }

    /// <summary>Sandboxes created and not yet removed.</summary>
    public IReadOnlyList<string> Live
    {
        get
        {
            lock (_gate)
            {
                return [.. _live];
            }
        }
    }

    /// <summary>Creates that have started (including those waiting on <see cref="CreateGate"/>).</summary>
    public int CreateCalls => Volatile.Read(ref _createCalls);

    /// <summary>How many times <see cref="ProbeAsync"/> was called.</summary>
    public int ProbeCalls => Volatile.Read(ref _probeCalls);

    public Task<RuntimeProbe> ProbeAsync(CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref _probeCalls);
        return Task.FromResult(Available
            ? new RuntimeProbe(true, "fake runtime")
            : new RuntimeProbe(false, "fake runtime is down") { Remedy = new RuntimeRemedy("Start the fake runtime, then reload this page:", "fake-runtime --start") });
    }

    public async Task<SandboxHandle> CreateAsync(SandboxSpec spec, CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref _createCalls);
        lock (_gate)
        {
            _creates.Add(spec);
        }

        if (CreateGate is { } gate)
        {
            await gate.Task.WaitAsync(cancellationToken);
        }

        if (CreateFailure is { } failure)
        {
            throw failure;
        }

        var id = "fake-" + spec.SessionId;
        lock (_gate)
        {
            _live.Add(id);
        }

        return new SandboxHandle(id);
    }

    public Task RemoveAsync(string sandboxId, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            _removes.Add(sandboxId);
            _live.Remove(sandboxId);
        }

        return Task.CompletedTask;
    }

    /// <summary>What <see cref="AssignAsync"/> was told: (sandbox, session) in call order.</summary>
    public IReadOnlyList<(string SandboxId, string SessionId)> Assigns
    {
        get
        {
            lock (_gate)
            {
                return [.. _assigns];
            }
        }
    }

    public Task AssignAsync(string sandboxId, SandboxSpec spec, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            _assigns.Add((sandboxId, spec.SessionId));
        }

        return Task.CompletedTask;
    }

    /// <summary>Thrown by <see cref="ListManagedAsync"/> when set (the engine away).</summary>
    public Exception? ListFailure { get; set; }

    public Task<IReadOnlyList<SandboxInfo>> ListManagedAsync(CancellationToken cancellationToken)
    {
        if (ListFailure is { } failure)
        {
            return Task.FromException<IReadOnlyList<SandboxInfo>>(failure);
        }

        lock (_gate)
        {
            return Task.FromResult<IReadOnlyList<SandboxInfo>>([.. _live.Select(id => new SandboxInfo(id, id["fake-".Length..], null, null, true))]);
        }
    }

    /// <summary>Thrown by <see cref="AttachTerminalAsync"/> when set; otherwise the fake has no terminals.</summary>
    public Exception? AttachFailure { get; set; }

    public int AttachCalls => Volatile.Read(ref _attachCalls);

    public Task<TerminalStream> AttachTerminalAsync(string sandboxId, TerminalAttachOptions options, CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref _attachCalls);
        return Task.FromException<TerminalStream>(AttachFailure ?? new NotSupportedException("The fake runtime has no terminals."));
    }

    public Task<ExecResult> ExecAsync(string sandboxId, IReadOnlyList<string> command, ReadOnlyMemory<byte> stdin, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            _execs.Add(new RecordedExec(sandboxId, [.. command], stdin.ToArray()));
        }

        if (string.Join(' ', command).Contains("tmux list-sessions", StringComparison.Ordinal))
        {
            return TmuxSessions is { } lines
                ? Task.FromResult(new ExecResult(0, Encoding.UTF8.GetBytes(string.Concat(lines.Select(l => l + "\n"))), []))
                : Task.FromException<ExecResult>(new SandboxRuntimeException("tmux is not there"));
        }

        return ExecFailure is { } failure
            ? Task.FromException<ExecResult>(failure)
            : Task.FromResult(new ExecResult(ExecExitCode, [], []));
    }

    /// <summary>
    /// Sandbox ports the fake "connects" to: sandbox port to a port on the host's loopback, where the test runs a
    /// stand-in server. A port not in the map is closed.
    /// </summary>
    public Dictionary<int, int> Ports { get; } = [];

    /// <summary>Runs the command on the host (the fake has no sandbox), so stream plumbing is tested for real.</summary>
    public Task<SandboxProcess> StartProcessAsync(string sandboxId, IReadOnlyList<string> command, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            _execs.Add(new RecordedExec(sandboxId, [.. command], []));
        }

        return Task.FromResult<SandboxProcess>(HostProcess.Start(command));
    }

    /// <summary>Every <see cref="ConnectAsync"/> call, in order: which sandbox and port the caller wanted.</summary>
    public IReadOnlyList<(string SandboxId, int Port)> Connects
    {
        get
        {
            lock (_gate)
            {
                return [.. _connects];
            }
        }
    }

    /// <summary>What <see cref="GetStatsAsync"/> answers for a sandbox (null by default); an exception it throws fails the call.</summary>
    public Func<string, SandboxStats?> Stats { get; set; } = _ => null;

    /// <summary>How many times <see cref="GetStatsAsync"/> was called.</summary>
    public int StatsCalls => Volatile.Read(ref _statsCalls);

    public Task<SandboxStats?> GetStatsAsync(string sandboxId, CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref _statsCalls);
        try
        {
            return Task.FromResult(Stats(sandboxId));
        }
        catch (Exception ex)
        {
            return Task.FromException<SandboxStats?>(ex);
        }
    }

    public async Task<Stream> ConnectAsync(string sandboxId, int port, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            _connects.Add((sandboxId, port));
        }

        if (!Ports.TryGetValue(port, out var hostPort))
        {
            throw new SandboxPortClosedException($"Nothing listens on port {port} in {sandboxId}.");
        }

        var client = new System.Net.Sockets.TcpClient();
        try
        {
            await client.ConnectAsync(System.Net.IPAddress.Loopback, hostPort, cancellationToken);
        }
        catch (System.Net.Sockets.SocketException)
        {
            client.Dispose();
            throw new SandboxPortClosedException($"Nothing listens on port {port} in {sandboxId}.");
        }

        return client.GetStream();
    }
}

public sealed record RecordedExec(string SandboxId, IReadOnlyList<string> Command, byte[] Stdin)
{
    public string CommandLine => string.Join(' ', Command);

    public string StdinText => Encoding.UTF8.GetString(Stdin);
}
