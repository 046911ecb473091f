using System.Security.Cryptography;
using System.Text.RegularExpressions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using RemoltBlazor.Sandboxes.Docker.Engine;
using RemoltBlazor.Sandboxes.Runtime;

namespace RemoltBlazor.Sandboxes.Docker;

/// <summary>
/// Sandboxes as Docker containers, one bridge network each. The sandbox id is the container name
/// <c>remolt-{sessionId}</c>, so the session (and its network) can still be found after the container is gone.
/// </summary>
internal sealed partial class DockerRuntime : ISandboxRuntime, IDisposable
{
    public const string SandboxUser = "dev";
    public const string ContainerPrefix = "remolt-";
    public const int ExecOutputCap = 16 * 1024 * 1024;

    /// <summary>
    /// Docker swallows its detach keys (default ctrl-p,ctrl-q, which eats Ctrl-P). The engine only checks reads of
    /// exactly one byte and holds back a matching prefix until the next key, so the first key is one rarely typed
    /// alone and the whole sequence is one no program binds.
    /// </summary>
    public const string DetachKeys = "ctrl-\\,ctrl-^,ctrl-_,ctrl-@";

    private static readonly TimeSpan s_cleanupTimeout = TimeSpan.FromSeconds(30);

    private readonly DockerEngineClient _client;
    private readonly DockerOptions _options;
    private readonly ILogger<DockerRuntime> _logger;
    private readonly ILoggerFactory _loggerFactory;
    private readonly DockerSessionNetworks _networks;

    public DockerRuntime(DockerEngineClient client, IOptions<DockerOptions> options, ILoggerFactory loggerFactory)
    {
        _client = client;
        _options = options.Value;
        _loggerFactory = loggerFactory;
        _logger = loggerFactory.CreateLogger<DockerRuntime>();
        _networks = new DockerSessionNetworks(client, _options, loggerFactory.CreateLogger<DockerSessionNetworks>());
    }

    internal DockerSessionNetworks Networks => _networks;

    public string Name => "docker";

    public async Task<RuntimeProbe> ProbeAsync(CancellationToken cancellationToken)
    {
        try
        {
            var version = await _client.System.VersionAsync(cancellationToken);
            var api = await _client.GetApiVersionAsync(cancellationToken);
            return new RuntimeProbe(true, $"Docker {version.Version} (API {api}) at {_client.SocketPath}");
        }
        catch (Exception ex)
        {
            return new RuntimeProbe(false, ex.Message);
        }
    }

    public async Task<SandboxHandle> CreateAsync(SandboxSpec spec, CancellationToken cancellationToken)
    {
        if (!SessionIdPattern().IsMatch(spec.SessionId))
        {
            throw new ArgumentException(
                $"Session id '{spec.SessionId}' cannot name a container: use letters, digits, '_', '.', '-' (at most 60).", nameof(spec));
        }

        if (!await _client.Images.ExistsAsync(spec.Image, cancellationToken))
        {
            throw MissingImage(spec);
        }

        var labels = new Dictionary<string, string>
        {
            [SandboxLabels.Managed] = "true",
            [SandboxLabels.SessionId] = spec.SessionId,
            [SandboxLabels.Owner] = spec.Owner,
            [SandboxLabels.Agent] = spec.AgentId,
        };
        if (spec.InstanceId.Length > 0)
        {
            labels[SandboxLabels.Instance] = spec.InstanceId;
        }

        var networkName = DockerSessionNetworks.NameFor(spec.SessionId);
        var containerName = ContainerPrefix + spec.SessionId;

        await _networks.CreateAsync(networkName, labels, cancellationToken);
        var containerCreated = false;
        try
        {
            await _client.Containers.CreateAsync(containerName, ContainerRequest(spec, networkName, labels), cancellationToken);
            containerCreated = true;
            await _client.Containers.StartAsync(containerName, cancellationToken);
            return new SandboxHandle(containerName);
        }
        catch (Exception ex)
        {
            // Unless the name was taken by someone else, a container of that name is ours even when create
            // "failed" (a timeout or cancellation after the engine made it).
            var ours = containerCreated || ex is not DockerConflictException;
            await CleanUpFailedCreateAsync(ours ? containerName : null, networkName);
            if (ex is DockerNotFoundException notFound && notFound.EngineMessage.Contains("image", StringComparison.OrdinalIgnoreCase))
            {
                throw MissingImage(spec, ex);
            }

            throw;
        }
    }

    public async Task RemoveAsync(string sandboxId, CancellationToken cancellationToken)
    {
        var sessionId = sandboxId.StartsWith(ContainerPrefix, StringComparison.Ordinal) ? sandboxId[ContainerPrefix.Length..] : null;
        try
        {
            var inspect = await _client.Containers.InspectAsync(sandboxId, cancellationToken);
            if (inspect.Config.Labels?.GetValueOrDefault(SandboxLabels.SessionId) is { Length: > 0 } labelled)
            {
                sessionId = labelled;
            }

            await _client.Containers.RemoveForceAsync(sandboxId, cancellationToken);
        }
        catch (DockerNotFoundException)
        {
            // Already gone: still remove its network below.
        }

        if (sessionId is null)
        {
            return;
        }

        await _networks.RemoveForSessionAsync(sessionId, cancellationToken);
    }

    public async Task<IReadOnlyList<SandboxInfo>> ListManagedAsync(CancellationToken cancellationToken)
    {
        var containers = await _client.Containers.ListAllByLabelAsync([$"{SandboxLabels.Managed}=true"], cancellationToken);
        return [.. containers.Select(c => new SandboxInfo(
            c.Names is [var first, ..] ? first.TrimStart('/') : c.Id,
            c.Labels?.GetValueOrDefault(SandboxLabels.SessionId),
            c.Labels?.GetValueOrDefault(SandboxLabels.Owner),
            c.Labels?.GetValueOrDefault(SandboxLabels.Agent),
            string.Equals(c.State, "running", StringComparison.OrdinalIgnoreCase))
        {
            InstanceId = c.Labels?.GetValueOrDefault(SandboxLabels.Instance),
        })];
    }

    public async Task<TerminalStream> AttachTerminalAsync(string sandboxId, TerminalAttachOptions options, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(options.Window);
        var attachId = RandomNumberGenerator.GetHexString(16, lowercase: true);
        var marker = $"/tmp/.remolt-client-{attachId}";
        var request = new DockerExecCreateRequest(
            ["bash", "-lc", TmuxCommands.AttachScript(options, marker)],
            AttachStdin: true, AttachStdout: true, AttachStderr: true, Tty: true, SandboxUser, ["TERM=xterm-256color"], DetachKeys);
        var execId = await OnSandboxAsync(sandboxId, () => _client.Exec.CreateAsync(sandboxId, request, cancellationToken));
        var stream = await _client.Exec.StartHijackedAsync(execId, tty: true, cancellationToken);
        var terminal = new DockerTerminalStream(_client.Exec, sandboxId, execId, marker, stream, _loggerFactory.CreateLogger<DockerTerminalStream>());
        try
        {
            // Every exec's TTY starts at 0x0 (tmux would take 80x24; the attach script waits for this resize) and a
            // resize before start blocks for 10 s, so it comes right after the 101.
            await terminal.ResizeAsync(options.Columns, options.Rows, cancellationToken);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // The terminal still works at 80x24 and the next resize from the browser fixes it.
            _logger.LogWarning(ex, "Initial resize of terminal exec {ExecId} in {Sandbox} failed", execId, sandboxId);
        }
        catch
        {
            await terminal.DisposeAsync();
            throw;
        }

        return terminal;
    }

    public async Task<ExecResult> ExecAsync(string sandboxId, IReadOnlyList<string> command, ReadOnlyMemory<byte> stdin, CancellationToken cancellationToken)
    {
        var output = await OnSandboxAsync(sandboxId, () => _client.Exec.RunAsync(sandboxId, command, SandboxUser, stdin, ExecOutputCap, cancellationToken));
        return new ExecResult(output.ExitCode, output.Stdout, output.Stderr, output.Truncated);
    }

    public async Task<SandboxProcess> StartProcessAsync(string sandboxId, IReadOnlyList<string> command, CancellationToken cancellationToken)
    {
        var (execId, stream) = await StartExecStreamAsync(sandboxId, command, cancellationToken);
        return new DockerSandboxProcess(_client.Exec, execId, stream);
    }

    public async Task<Stream> ConnectAsync(string sandboxId, int port, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(port, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(port, 65535);
        var (_, stream) = await StartExecStreamAsync(sandboxId, SandboxPortRelay.Command(port), cancellationToken);
        try
        {
            await SandboxPortRelay.AwaitConnectedAsync(stream, sandboxId, port, cancellationToken);
            return stream;
        }
        catch
        {
            await stream.DisposeAsync();
            throw;
        }
    }

    public void Dispose() => _networks.Dispose();

    private async Task<(string ExecId, DockerExecStream Stream)> StartExecStreamAsync(
        string sandboxId, IReadOnlyList<string> command, CancellationToken cancellationToken)
    {
        var request = new DockerExecCreateRequest(
            command, AttachStdin: true, AttachStdout: true, AttachStderr: true, Tty: false, SandboxUser, Env: null, DetachKeys: null);
        var execId = await OnSandboxAsync(sandboxId, () => _client.Exec.CreateAsync(sandboxId, request, cancellationToken));
        var connection = await _client.Exec.StartHijackedAsync(execId, tty: false, cancellationToken);
        return (execId, new DockerExecStream(connection));
    }

    private DockerContainerCreateRequest ContainerRequest(SandboxSpec spec, string networkName, IReadOnlyDictionary<string, string> labels)
    {
        var memory = _options.MemoryMb * 1024L * 1024L;
        return new DockerContainerCreateRequest(
            spec.Image,
            SandboxUser,
            [.. spec.Env.OrderBy(e => e.Key, StringComparer.Ordinal).Select(e => $"{e.Key}={e.Value}")],
            // An explicit keep-alive command: the image's default might be a shell that exits without a TTY.
            ["sleep", "infinity"],
            labels,
            Tty: false,
            new DockerHostConfig(
                // Without an init, PID 1 sleep ignores SIGTERM and every stop waits the full timeout.
                Init: true,
                networkName,
                memory,
                // Equal to Memory: no swap on top, so the memory limit is the real bound.
                MemorySwap: memory,
                NanoCpus: (long)Math.Round(_options.Cpus * 1_000_000_000),
                _options.PidsLimit,
                _options.NoNewPrivileges ? ["no-new-privileges"] : null));
    }

    private async Task CleanUpFailedCreateAsync(string? containerName, string networkName)
    {
        // Not the caller's token: a cancelled create must still leave nothing behind.
        using var timeout = new CancellationTokenSource(s_cleanupTimeout);
        try
        {
            if (containerName is not null)
            {
                try
                {
                    await _client.Containers.RemoveForceAsync(containerName, timeout.Token);
                }
                catch (DockerNotFoundException)
                {
                }
            }

            await _networks.RemoveIfPresentAsync(networkName, timeout.Token);
        }
        catch (Exception ex)
        {
            _logger.LogError(ex, "Cleaning up after a failed create of {Network} failed; the reconciler will retry", networkName);
        }
    }

    private SandboxRuntimeException MissingImage(SandboxSpec spec, Exception? inner = null)
    {
        var message = $"The sandbox image '{spec.Image}' does not exist in the Docker engine at {_client.SocketPath} (images are never pulled): " +
            Agents.AgentImages.MissingImageHint(spec.AgentId, spec.Image);
        return inner is null ? new SandboxRuntimeException(message) : new SandboxRuntimeException(message, inner);
    }

    private static async Task<T> OnSandboxAsync<T>(string sandboxId, Func<Task<T>> call)
    {
        try
        {
            return await call();
        }
        catch (DockerNotFoundException ex)
        {
            throw new SandboxNotFoundException($"Sandbox {sandboxId} does not exist.", ex);
        }
        catch (DockerConflictException ex)
        {
            throw new SandboxRuntimeException($"Sandbox {sandboxId} is not running: {ex.EngineMessage}", ex);
        }
    }

    [GeneratedRegex("^[a-zA-Z0-9][a-zA-Z0-9_.-]{0,59}$")]
    private static partial Regex SessionIdPattern();
}
