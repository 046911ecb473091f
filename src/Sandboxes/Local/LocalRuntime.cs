using System.Net.Sockets;
using System.Security.Cryptography;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using RemoltBlazor.Sandboxes.Local.Limits;
using RemoltBlazor.Sandboxes.Local.Tools;
using RemoltBlazor.Sandboxes.Runtime;

namespace RemoltBlazor.Sandboxes.Local;

/// <summary>
/// Sandboxes as bubblewrap boxes on the host, for machines with neither Docker nor a cluster. The sandbox id is
/// <c>remolt-{sessionId}</c>, the name of its folder under <c>&lt;data&gt;/sandboxes/</c>, which holds its labels
/// and its home. Commands run through the sandbox's init (<see cref="LocalRequest"/>); terminals are tmux clients on a
/// PTY outside the sandbox, attached to the tmux server inside by its socket (<see cref="LocalTerminals"/>).
/// </summary>
internal sealed class LocalRuntime : ISandboxRuntime
{
    public const int ExecOutputCap = 16 * 1024 * 1024;
    private const int StderrCap = 64 * 1024;

    private static readonly RuntimeRemedy s_remedy = new(
        "To run sandboxes on this machine without Docker, install bubblewrap and tmux, then reload this page:",
        "sudo apt-get install -y bubblewrap tmux socat");

    private readonly LocalOptions _options;
    private readonly LocalSandboxes _sandboxes;
    private readonly LocalTerminals _terminals;
    private readonly LocalToolFolders? _tools;

    /// <param name="hiddenFolders">Folders besides the data folder, the app's own and the homes that sandboxes must not see.</param>
    /// <param name="cgroups">Where limits come from; by default what the host offers (<see cref="SandboxCgroups.Detect(ILogger)"/>).</param>
    /// <param name="tools">Where a sandbox finds its agent's installed tools; null: sandboxes get none.</param>
    public LocalRuntime(
        IOptions<LocalOptions> options, ILoggerFactory loggerFactory, IEnumerable<string>? hiddenFolders = null, ISandboxCgroups? cgroups = null, LocalToolFolders? tools = null)
    {
        _options = options.Value;
        _tools = tools;
        _sandboxes = new LocalSandboxes(
            _options, hiddenFolders ?? [], cgroups ?? SandboxCgroups.Detect(loggerFactory.CreateLogger<LocalSandboxes>()), loggerFactory.CreateLogger<LocalSandboxes>());
        _terminals = new LocalTerminals(_sandboxes, loggerFactory.CreateLogger<LocalTerminals>());
    }

    public string Name => "local";

    internal LocalSandboxes Sandboxes => _sandboxes;

    public async Task<RuntimeProbe> ProbeAsync(CancellationToken cancellationToken)
    {
        string[] tools = _sandboxes.IsRoot ? ["bwrap", "tmux", "setsid", "setpriv"] : ["bwrap", "tmux", "setsid"];
        var missing = tools.Where(tool => LocalTools.Find(tool) is null).ToList();
        if (missing.Count > 0)
        {
            return new RuntimeProbe(false, $"Missing on this machine's PATH: {string.Join(", ", missing)}.") { Remedy = s_remedy };
        }

        if (_sandboxes.IsRoot && await LocalTools.ReachableAsync(_options.SandboxesFolder, _options.Uid, cancellationToken) is false)
        {
            // bwrap binds the session folders as the sandbox uid, which must be able to pass through the data folder.
            return new RuntimeProbe(false, $"Sandboxes run as uid {_options.Uid}, which cannot reach {_options.SandboxesFolder}.")
            {
                Remedy = new RuntimeRemedy(
                    "Let the sandbox uid pass through the data folder (search only, no listing), or set REMOLT_LOCAL_UID:",
                    $"chmod o+x {string.Join(' ', LocalTools.Ancestors(_options.SandboxesFolder))}"),
            };
        }

        return new RuntimeProbe(true, $"bubblewrap sandboxes under {_options.SandboxesFolder} as uid {_sandboxes.HostUid}, " +
            (_options.IsolatedNetwork ? "no network" : "the host's network") +
            $"; limits: {(_sandboxes.Limits.Enforced ? _sandboxes.Limits.Detail : "not enforced, " + _sandboxes.Limits.Detail)}");
    }

    public Task<SandboxHandle> CreateAsync(SandboxSpec spec, CancellationToken cancellationToken) =>
        _sandboxes.CreateAsync(spec, _tools?.ReadyFolderFor(spec.AgentId), cancellationToken);

    public Task RemoveAsync(string sandboxId, CancellationToken cancellationToken) => _sandboxes.RemoveAsync(sandboxId, cancellationToken);

    /// <summary>Records the claiming session's labels in the folder, so a restart after the claim adopts it by them.</summary>
    public Task AssignAsync(string sandboxId, SandboxSpec spec, CancellationToken cancellationToken)
    {
        var (folder, state) = _sandboxes.Find(sandboxId);
        (state with { SessionId = spec.SessionId, Owner = spec.Owner, AgentId = spec.AgentId }).Write(folder.StateFile);
        return Task.CompletedTask;
    }

    public Task<IReadOnlyList<SandboxInfo>> ListManagedAsync(CancellationToken cancellationToken) => Task.FromResult(_sandboxes.List());

    public Task<TerminalStream> AttachTerminalAsync(string sandboxId, TerminalAttachOptions options, CancellationToken cancellationToken) =>
        _terminals.AttachAsync(sandboxId, options, cancellationToken);

    public async Task<ExecResult> ExecAsync(string sandboxId, IReadOnlyList<string> command, ReadOnlyMemory<byte> stdin, CancellationToken cancellationToken)
    {
        await using var request = await StartRequestAsync(sandboxId, command, cancellationToken);
        // A cancelled exec kills the command; its streams then end and everything below returns.
        using var cancel = cancellationToken.Register(request.Kill);
        var stdout = LocalCappedRead.ReadAsync(request.Stdout, ExecOutputCap);
        var stderr = LocalCappedRead.ReadAsync(request.Stderr, ExecOutputCap);
        var input = WriteAllAsync(request.Stdin, stdin);
        var (outBytes, outTruncated) = await stdout;
        var (errBytes, errTruncated) = await stderr;
        await input;
        var exit = await request.WaitForExitAsync(CancellationToken.None);
        cancellationToken.ThrowIfCancellationRequested();
        return new ExecResult(exit, outBytes, errBytes, outTruncated || errTruncated);
    }

    public async Task<SandboxProcess> StartProcessAsync(string sandboxId, IReadOnlyList<string> command, CancellationToken cancellationToken) =>
        new LocalSandboxProcess(await StartRequestAsync(sandboxId, command, cancellationToken), StderrCap);

    public async Task<Stream> ConnectAsync(string sandboxId, int port, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(port, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(port, 65535);
        var (_, state) = _sandboxes.FindRunning(sandboxId);
        if (_options.IsolatedNetwork)
        {
            // Its own network namespace: only a command inside reaches its loopback.
            return await SandboxPortRelay.OpenAsync(sandboxId, port, async (command, token) =>
                new LocalRequestStream(await StartRequestAsync(sandboxId, command, token)), cancellationToken);
        }

        var address = LocalPorts.OwnedListener(port, LocalProcesses.Tree(state.Pid))
            ?? throw new SandboxPortClosedException($"Nothing of sandbox {sandboxId} listens on port {port}.");
        var socket = new Socket(address.AddressFamily, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            await socket.ConnectAsync(address, port, cancellationToken);
            return new NetworkStream(socket, ownsSocket: true);
        }
        catch (SocketException ex) when (ex.SocketErrorCode == SocketError.ConnectionRefused)
        {
            socket.Dispose();
            throw new SandboxPortClosedException($"Nothing of sandbox {sandboxId} listens on port {port}.");
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    public Task<SandboxStats?> GetStatsAsync(string sandboxId, CancellationToken cancellationToken) =>
        Task.FromResult(_sandboxes.ReadStats(sandboxId));

    private async Task<LocalRequest> StartRequestAsync(string sandboxId, IReadOnlyList<string> command, CancellationToken cancellationToken)
    {
        var (folder, _) = _sandboxes.FindRunning(sandboxId);
        return await LocalRequest.StartAsync(folder, command, _sandboxes.ChownTo, cancellationToken);
    }

    private static async Task WriteAllAsync(FileStream stdin, ReadOnlyMemory<byte> data)
    {
        try
        {
            if (data.Length > 0)
            {
                await stdin.WriteAsync(data);
            }
        }
        catch (IOException)
        {
            // The command exited without reading all of its input (as `true` does): like a closed pipe, not an error.
        }
        finally
        {
            try
            {
                await stdin.DisposeAsync();
            }
            catch (IOException)
            {
                // Same: nobody reads any more.
            }
        }
    }

    internal static string NewHostname() => RandomNumberGenerator.GetHexString(12, lowercase: true);
}
