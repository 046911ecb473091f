using System.Net;
using System.Security.Cryptography;
using System.Text.RegularExpressions;
using Docker.DotNet;
using Docker.DotNet.Models;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using RemoltBlazor.Sandboxes.Runtime;

namespace RemoltBlazor.Sandboxes.Docker;

/// <summary>
/// Sandboxes as Docker containers, one bridge network each, on Docker.DotNet. The sandbox id is the container name
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

    private static readonly RuntimeRemedy s_remedy = new(
        "To run sandboxes on this machine, install Docker and start it, then reload this page:",
        "sudo apt-get install -y docker.io\nsudo dockerd &\ncontainer/build-images.sh");

    private static readonly TimeSpan s_cleanupTimeout = TimeSpan.FromSeconds(30);
    private readonly StaleTmuxClients _staleClients = new();

    private readonly DockerEngine _engine;
    private readonly DockerExec _exec;
    private readonly DockerOptions _options;
    private readonly ILogger<DockerRuntime> _logger;
    private readonly ILoggerFactory _loggerFactory;
    private readonly DockerSessionNetworks _networks;
    private readonly DockerHostAddresses _hostAddresses;
    private readonly DockerNetworkGuard _guard;
    private readonly DockerDiskQuota _diskQuota;

    public DockerRuntime(DockerEngine engine, IOptions<DockerOptions> options, TimeProvider timeProvider, ILoggerFactory loggerFactory)
    {
        _engine = engine;
        _exec = new DockerExec(engine, timeProvider);
        _options = options.Value;
        _loggerFactory = loggerFactory;
        _logger = loggerFactory.CreateLogger<DockerRuntime>();
        _networks = new DockerSessionNetworks(engine, _options, loggerFactory.CreateLogger<DockerSessionNetworks>());
        _hostAddresses = new DockerHostAddresses(engine, loggerFactory.CreateLogger<DockerHostAddresses>());
        _guard = new DockerNetworkGuard(engine, _exec, _options, _hostAddresses);
        _diskQuota = new DockerDiskQuota(_options, _logger);
    }

    internal DockerSessionNetworks Networks => _networks;

    internal DockerDiskQuota DiskQuota => _diskQuota;

    public string Name => "docker";

    public async Task<RuntimeProbe> ProbeAsync(CancellationToken cancellationToken)
    {
        try
        {
            var (version, api) = await _engine.RunAsync("version",
                async client => (await client.System.GetVersionAsync(cancellationToken), client.Options.ApiVersion), cancellationToken);
            return new RuntimeProbe(true, $"Docker {version.Version} (API {api}) at {_engine.SocketPath}");
        }
        catch (Exception ex)
        {
            return new RuntimeProbe(false, ex.Message) { Remedy = s_remedy };
        }
    }

    public async Task<SandboxHandle> CreateAsync(SandboxSpec spec, CancellationToken cancellationToken)
    {
        if (!SessionIdPattern().IsMatch(spec.SessionId))
        {
            throw new ArgumentException(
                $"Session id '{spec.SessionId}' cannot name a container: use letters, digits, '_', '.', '-' (at most 64).", nameof(spec));
        }

        await EnsureImageAsync(spec, cancellationToken);
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

        cancellationToken.ThrowIfCancellationRequested();
        // Not the caller's token: the engine makes a network it was asked for even when the request is given up, so a
        // cancelled create could leave one made after its cleanup looked (the runtime contract's cancelled create).
        // The engine's own timeout still bounds it; the cancellation is seen right after, and cleans up.
        await _networks.CreateAsync(networkName, labels, CancellationToken.None);
        // Unless the name was taken by someone else, a container of that name is ours even when create "failed"
        // (a timeout or cancellation after the engine made it).
        var nameTaken = false;
        try
        {
            cancellationToken.ThrowIfCancellationRequested();
            // Not the caller's token either, for the same reason: a container the engine makes after a given-up request
            // would be made after the cleanup looked. Bounded here; the cancellation is seen right after.
            using var engineTimeout = new CancellationTokenSource(s_cleanupTimeout);
            await _engine.RunAsync($"container create {containerName}", async client =>
            {
                try
                {
                    await _diskQuota.CreateAsync(client, DockerSandboxContainer.Parameters(spec, _options, containerName, networkName, labels), engineTimeout.Token);
                }
                catch (DockerImageNotFoundException ex) when (DockerEngine.EngineMessage(ex).Contains("image", StringComparison.OrdinalIgnoreCase))
                {
                    throw MissingImage(spec, ex);
                }
                catch (DockerApiException ex) when (ex.StatusCode == HttpStatusCode.Conflict)
                {
                    nameTaken = true;
                    throw;
                }

                await client.Containers.StartContainerAsync(containerName, new ContainerStartParameters(), engineTimeout.Token);
            }, engineTimeout.Token);
            cancellationToken.ThrowIfCancellationRequested();
            // Every sandbox, cold or warm, is guarded before it is handed out; its entrypoint waits for the marker
            // before it clones or sets anything up, so not even the first connection escapes.
            await _guard.ApplyAsync(containerName, spec.SessionId, spec.Image, labels, cancellationToken);
            return new SandboxHandle(containerName);
        }
        catch
        {
            await CleanUpFailedCreateAsync(nameTaken ? null : containerName, networkName);
            throw;
        }
    }

    public async Task RemoveAsync(string sandboxId, CancellationToken cancellationToken)
    {
        var sessionId = sandboxId.StartsWith(ContainerPrefix, StringComparison.Ordinal) ? sandboxId[ContainerPrefix.Length..] : null;
        var inspect = await _engine.RunAsync($"container inspect {sandboxId}", async client =>
        {
            try
            {
                return await client.Containers.InspectContainerAsync(sandboxId, cancellationToken);
            }
            catch (DockerContainerNotFoundException)
            {
                return null; // Already gone: still remove its network below.
            }
        }, cancellationToken);
        if (inspect is not null)
        {
            sessionId = Label(inspect.Config?.Labels, SandboxLabels.SessionId) is { Length: > 0 } labelled ? labelled : sessionId;
            await RemoveContainerIfPresentAsync(sandboxId, cancellationToken);
        }

        // Normally gone already; one is left only when the server died while guarding this sandbox.
        await RemoveContainerIfPresentAsync(DockerNetworkGuard.HelperName(sandboxId), cancellationToken);

        if (sessionId is not null)
        {
            await _networks.RemoveForSessionAsync(sessionId, cancellationToken);
        }
    }

    /// <summary>Container labels cannot change: the warm-pool table records the claim instead.</summary>
    public Task AssignAsync(string sandboxId, SandboxSpec spec, CancellationToken cancellationToken) => Task.CompletedTask;

    public async Task<IReadOnlyList<SandboxInfo>> ListManagedAsync(CancellationToken cancellationToken)
    {
        var parameters = new ContainersListParameters { All = true, Filters = DockerEngine.LabelFilter($"{SandboxLabels.Managed}=true") };
        var containers = await _engine.RunAsync("container list", client => client.Containers.ListContainersAsync(parameters, cancellationToken), cancellationToken);
        return [.. containers.Select(c => new SandboxInfo(
            c.Names is [var first, ..] ? first.TrimStart('/') : c.ID,
            Label(c.Labels, SandboxLabels.SessionId),
            Label(c.Labels, SandboxLabels.Owner),
            Label(c.Labels, SandboxLabels.Agent),
            string.Equals(c.State, "running", StringComparison.OrdinalIgnoreCase))
        {
            InstanceId = Label(c.Labels, SandboxLabels.Instance),
        })];
    }

    public async Task<TerminalStream> AttachTerminalAsync(string sandboxId, TerminalAttachOptions options, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(options.Window);
        var attachId = RandomNumberGenerator.GetHexString(16, lowercase: true);
        var marker = $"/tmp/.remolt-client-{attachId}";
        var execId = await _exec.CreateAsync(
            sandboxId, DockerExec.TerminalParameters(["bash", "-lc", TmuxCommands.AttachScript(options, marker)]), cancellationToken);
        var stream = await _exec.StartAsync(execId, tty: true, cancellationToken);
        var terminal = new DockerTerminalStream(_exec, sandboxId, execId, marker, stream, _loggerFactory.CreateLogger<DockerTerminalStream>())
        {
            StaleClients = _staleClients,
        };
        try
        {
            // Every exec's TTY starts at 0x0 (tmux would take 80x24; the attach script waits for this resize) and a
            // resize before start blocks for 10 s, so it comes right after the 101.
            await terminal.ResizeAsync(options.Size, cancellationToken);
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

        await _staleClients.DetachAsync(
            sandboxId, (script, token) => _exec.RunAsync(sandboxId, ["sh", "-c", script], ReadOnlyMemory<byte>.Empty, 64 * 1024, token), _logger);

        return terminal;
    }

    public Task<ExecResult> ExecAsync(string sandboxId, IReadOnlyList<string> command, ReadOnlyMemory<byte> stdin, CancellationToken cancellationToken) =>
        _exec.RunAsync(sandboxId, command, stdin, ExecOutputCap, cancellationToken);

    public async Task<SandboxProcess> StartProcessAsync(string sandboxId, IReadOnlyList<string> command, CancellationToken cancellationToken)
    {
        var (execId, stream) = await StartExecStreamAsync(sandboxId, command, cancellationToken);
        return new DockerSandboxProcess(_exec, execId, stream);
    }

    public Task<Stream> ConnectAsync(string sandboxId, int port, CancellationToken cancellationToken) =>
        SandboxPortRelay.OpenAsync(sandboxId, port, async (command, token) => (await StartExecStreamAsync(sandboxId, command, token)).Stream, cancellationToken);

    public Task<SandboxStats?> GetStatsAsync(string sandboxId, CancellationToken cancellationToken) =>
        DockerStats.ReadAsync(_engine, sandboxId, cancellationToken);

    public void Dispose()
    {
        _networks.Dispose();
        _hostAddresses.Dispose();
    }

    private async Task<(string ExecId, DockerExecStream Stream)> StartExecStreamAsync(
        string sandboxId, IReadOnlyList<string> command, CancellationToken cancellationToken)
    {
        var execId = await _exec.CreateAsync(sandboxId, DockerExec.Parameters(command, attachStdin: true), cancellationToken);
        var exec = await _exec.StartAsync(execId, tty: false, cancellationToken);
        return (execId, new DockerExecStream(exec));
    }

    private Task EnsureImageAsync(SandboxSpec spec, CancellationToken cancellationToken) =>
        _engine.RunAsync($"image inspect {spec.Image}", async client =>
        {
            try
            {
                await client.Images.InspectImageAsync(spec.Image, cancellationToken);
            }
            catch (DockerImageNotFoundException ex)
            {
                throw MissingImage(spec, ex);
            }
        }, cancellationToken);

    private async Task CleanUpFailedCreateAsync(string? containerName, string networkName)
    {
        // Not the caller's token: a cancelled create must still leave nothing behind.
        using var timeout = new CancellationTokenSource(s_cleanupTimeout);
        try
        {
            if (containerName is not null)
            {
                await RemoveContainerIfPresentAsync(containerName, timeout.Token);
            }

            await _networks.RemoveIfPresentAsync(networkName, timeout.Token);
        }
        catch (Exception ex)
        {
            _logger.LogError(ex, "Cleaning up after a failed create of {Network} failed; the reconciler will retry", networkName);
        }
    }

    /// <summary>Kills and removes a container with its anonymous volumes; one already gone is fine.</summary>
    private Task RemoveContainerIfPresentAsync(string idOrName, CancellationToken cancellationToken) =>
        _engine.RunAsync($"container remove {idOrName}", async client =>
        {
            try
            {
                await client.Containers.RemoveContainerAsync(idOrName, new ContainerRemoveParameters { Force = true, RemoveVolumes = true }, cancellationToken);
            }
            catch (DockerContainerNotFoundException)
            {
                // Already gone.
            }
        }, cancellationToken);

    private static string? Label(IDictionary<string, string>? labels, string key) =>
        labels is not null && labels.TryGetValue(key, out var value) ? value : null;

    private SandboxRuntimeException MissingImage(SandboxSpec spec, Exception inner) =>
        new($"The sandbox image '{spec.Image}' does not exist in the Docker engine at {_engine.SocketPath} (images are never pulled): " +
            Agents.AgentImages.MissingImageHint(spec.AgentId, spec.Image), inner);

    // Any well-formed session id (SessionIds.IsWellFormed: up to 64, may start with '-' or '_'): the names are
    // prefixed (remolt-, remolt-net-), so the id itself need not start with an alphanumeric as Docker names must.
    [GeneratedRegex("^[a-zA-Z0-9_.-]{1,64}$")]
    private static partial Regex SessionIdPattern();
}
