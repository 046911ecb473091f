using System.Net;
using System.Security.Cryptography;
using k8s;
using k8s.Autorest;
using k8s.Models;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using RemoltBlazor.Sandboxes.Docker;
using RemoltBlazor.Sandboxes.Runtime;
using RemoltBlazor.Sandboxes.Sessions;

namespace RemoltBlazor.Sandboxes.Kubernetes;

/// <summary>
/// Sandboxes as pods (and, with persistent workspaces, a claim each) in one namespace. The sandbox id is the pod name
/// (<see cref="KubernetesNames.PodName"/>); the raw session id, owner, agent and instance are annotations, read back by
/// <see cref="ListManagedAsync"/>. Everything inside a pod goes through the exec WebSocket, so nothing in a pod
/// listens on the pod network for the server.
/// </summary>
internal sealed class KubernetesRuntime : ISandboxRuntime, IDisposable
{
    private const int PageSize = 200;

    private readonly IKubernetes _client;
    private readonly KubernetesOptions _options;
    private readonly TimeSpan? _maxLifetime;
    private readonly TimeProvider _timeProvider;
    private readonly ILogger<KubernetesRuntime> _logger;
    private readonly ILoggerFactory _loggerFactory;
    private readonly KubernetesExec _exec;
    private readonly StaleTmuxClients _staleClients = new();
    private readonly string _where;
    private readonly KubernetesPodDeletion _deletion;

    public KubernetesRuntime(IOptions<KubernetesOptions> options, IOptions<SessionOptions> sessions, TimeProvider timeProvider, ILoggerFactory loggerFactory)
        : this(KubernetesClientFactory.Create(options.Value), options.Value, sessions.Value.MaxLifetime, timeProvider, loggerFactory)
    {
    }

    internal KubernetesRuntime(
        (IKubernetes Client, string Namespace, string Where) connection, KubernetesOptions options, TimeSpan? maxLifetime,
        TimeProvider timeProvider, ILoggerFactory loggerFactory)
    {
        _client = connection.Client;
        _where = connection.Where;
        _options = options;
        _maxLifetime = maxLifetime;
        _timeProvider = timeProvider;
        _loggerFactory = loggerFactory;
        _logger = loggerFactory.CreateLogger<KubernetesRuntime>();
        Calls = new KubernetesApiCalls(_client, connection.Namespace);
        _deletion = new KubernetesPodDeletion(Calls, _logger);
        _exec = new KubernetesExec(new KubernetesExecConnector(Calls));
    }

    public string Name => "k8s"; // the original's name, in server.started's backend field and /health

    public string Namespace => Calls.Namespace;

    internal KubernetesApiCalls Calls { get; }

    internal KubernetesExecConnector Connector => _exec.Connector;

    public async Task<RuntimeProbe> ProbeAsync(CancellationToken cancellationToken)
    {
        try
        {
            var version = await Calls.RunAsync("get /version", token => _client.Version.GetCodeAsync(token), cancellationToken);
            await Calls.RunAsync("list pods", token => _client.CoreV1.ListNamespacedPodAsync(Namespace, limit: 1, cancellationToken: token), cancellationToken);
            return new RuntimeProbe(true, $"Kubernetes {version.GitVersion} at {_where}, namespace {Namespace}");
        }
        catch (Exception ex)
        {
            // Never throws (the health endpoint and the launch page show the detail).
            return new RuntimeProbe(false, ex.Message)
            {
                Remedy = new RuntimeRemedy(
                    $"The server reaches the cluster at {_where} with its service account or kubeconfig: check that the API server is reachable from it, " +
                    $"that its credentials are valid, and that the Role in k8s/base/role.yaml is bound to it in namespace {Namespace} (README: Run it on Kubernetes). Then reload this page."),
            };
        }
    }

    public async Task<SandboxHandle> CreateAsync(SandboxSpec spec, CancellationToken cancellationToken)
    {
        var podName = KubernetesNames.PodName(spec.SessionId);
        var pod = KubernetesPodSpec.Build(spec, podName, _options, _maxLifetime);
        // Unless the name was taken by someone else (409), a pod or claim of that name is ours even when the create
        // "failed": a timeout or cancellation after the API server made it.
        var podTaken = false;
        var claimTaken = false;
        try
        {
            if (_options.PersistentWorkspaces)
            {
                await Calls.RunAsync("create persistentvolumeclaims", async token =>
                {
                    try
                    {
                        await _client.CoreV1.CreateNamespacedPersistentVolumeClaimAsync(KubernetesPodSpec.Claim(spec, podName, _options), Namespace, cancellationToken: token);
                    }
                    catch (HttpOperationException ex) when (ex.Response?.StatusCode == HttpStatusCode.Conflict)
                    {
                        claimTaken = true;
                        throw new SandboxRuntimeException($"The workspace claim {KubernetesNames.ClaimName(podName)} of session {spec.SessionId} already exists.", ex);
                    }
                }, cancellationToken);
            }

            var created = await Calls.RunAsync("create pods", async token =>
            {
                try
                {
                    return await _client.CoreV1.CreateNamespacedPodAsync(pod, Namespace, cancellationToken: token);
                }
                catch (HttpOperationException ex) when (ex.Response?.StatusCode == HttpStatusCode.Conflict)
                {
                    podTaken = true;
                    throw new SandboxRuntimeException($"A sandbox for session {spec.SessionId} already exists (pod {podName}).", ex);
                }
                catch (HttpOperationException ex) when (ex.Response?.StatusCode is HttpStatusCode.UnprocessableEntity or HttpStatusCode.BadRequest
                                                       || (ex.Response?.StatusCode == HttpStatusCode.Forbidden && KubernetesApiCalls.IsAdmissionRefusal(ex)))
                {
                    throw new SandboxRuntimeException($"The cluster refused the sandbox pod {podName}: {KubernetesApiCalls.ServerMessage(ex)}", ex);
                }
            }, cancellationToken);
            await KubernetesPodStartup.WaitReadyAsync(Calls, created, _options.PodStartTimeout, cancellationToken);
            return new SandboxHandle(podName);
        }
        catch
        {
            await _deletion.CleanUpFailedCreateAsync(podTaken ? null : podName, !_options.PersistentWorkspaces || claimTaken ? null : KubernetesNames.ClaimName(podName));
            throw;
        }
    }

    /// <summary>Deletes the pod (5 s grace), waits until it is gone (so its name and claim are free), then its claim.</summary>
    public async Task RemoveAsync(string sandboxId, CancellationToken cancellationToken)
    {
        await _deletion.DeletePodAsync(sandboxId, KubernetesPodDeletion.GraceSeconds, cancellationToken);
        if (_options.PersistentWorkspaces)
        {
            await _deletion.DeleteClaimAsync(KubernetesNames.ClaimName(sandboxId), cancellationToken);
        }
    }

    public async Task<IReadOnlyList<SandboxInfo>> ListManagedAsync(CancellationToken cancellationToken)
    {
        var sandboxes = new List<SandboxInfo>();
        string? next = null;
        do
        {
            var page = await Calls.RunAsync("list pods", token => _client.CoreV1.ListNamespacedPodAsync(
                Namespace, continueParameter: next, labelSelector: $"{SandboxLabels.Managed}=true", limit: PageSize, cancellationToken: token), cancellationToken);
            sandboxes.AddRange(page.Items.Select(Info));
            next = page.Metadata?.ContinueProperty;
        }
        while (!string.IsNullOrEmpty(next));

        return sandboxes;
    }

    /// <summary>Relabels a claimed warm pod for its session (labels and annotations, one merge patch), and starts its lifetime.</summary>
    public async Task AssignAsync(string sandboxId, SandboxSpec spec, CancellationToken cancellationToken)
    {
        var metadata = new Dictionary<string, object?>
        {
            ["labels"] = KubernetesPodSpec.Labels(spec),
            ["annotations"] = KubernetesPodSpec.Annotations(spec),
        };
        var patch = new Dictionary<string, object?> { ["metadata"] = metadata };
        if (_maxLifetime is { } lifetime && await Calls.ReadPodAsync(sandboxId, cancellationToken) is { } current
            && current.Spec?.ActiveDeadlineSeconds is null && current.Status?.StartTime is { } started)
        {
            // The deadline counts from the pod's start; a warm pod waited before this session began.
            var waited = _timeProvider.GetUtcNow().UtcDateTime - started.ToUniversalTime();
            patch["spec"] = new Dictionary<string, object?> { ["activeDeadlineSeconds"] = (long)(waited + lifetime + KubernetesPodSpec.DeadlineMargin).TotalSeconds };
        }

        await Calls.RunAsync("patch pods", async token =>
        {
            try
            {
                await _client.CoreV1.PatchNamespacedPodAsync(new V1Patch(patch, V1Patch.PatchType.MergePatch), sandboxId, Namespace, cancellationToken: token);
            }
            catch (HttpOperationException ex) when (ex.Response?.StatusCode == HttpStatusCode.NotFound)
            {
                throw new SandboxNotFoundException($"Sandbox {sandboxId} does not exist.", ex);
            }
        }, cancellationToken);
    }

    public async Task<TerminalStream> AttachTerminalAsync(string sandboxId, TerminalAttachOptions options, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(options.Window);
        var marker = $"/tmp/.remolt-client-{RandomNumberGenerator.GetHexString(16, lowercase: true)}";
        var channel = await Connector.ConnectAsync(sandboxId, ["bash", "-lc", TmuxCommands.AttachScript(options, marker)], tty: true, stdin: true, cancellationToken);
        var terminal = new KubernetesTerminalStream(channel, _exec, marker, _staleClients, _loggerFactory.CreateLogger<KubernetesTerminalStream>());
        try
        {
            // The exec's TTY starts at 0x0 and the attach script waits for this first size.
            await terminal.ResizeAsync(options.Size, cancellationToken);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // The terminal still works at 80x24 and the next resize from the browser fixes it.
            _logger.LogWarning(ex, "Initial resize of a terminal in pod {Pod} failed", sandboxId);
        }
        catch
        {
            await terminal.DisposeAsync();
            throw;
        }

        await _staleClients.DetachAsync(sandboxId, (script, token) => _exec.RunAsync(sandboxId, ["sh", "-c", script], ReadOnlyMemory<byte>.Empty, 64 * 1024, token), _logger);
        return terminal;
    }

    public Task<ExecResult> ExecAsync(string sandboxId, IReadOnlyList<string> command, ReadOnlyMemory<byte> stdin, CancellationToken cancellationToken) =>
        _exec.RunAsync(sandboxId, command, stdin, DockerRuntime.ExecOutputCap, cancellationToken);

    public async Task<SandboxProcess> StartProcessAsync(string sandboxId, IReadOnlyList<string> command, CancellationToken cancellationToken) =>
        new KubernetesSandboxProcess(new KubernetesExecStream(await Connector.ConnectAsync(sandboxId, command, tty: false, stdin: true, cancellationToken)));

    public Task<Stream> ConnectAsync(string sandboxId, int port, CancellationToken cancellationToken) =>
        SandboxPortRelay.OpenAsync(sandboxId, port, async (command, token) =>
            new KubernetesExecStream(await Connector.ConnectAsync(sandboxId, command, tty: false, stdin: true, token)), cancellationToken);

    public async Task<SandboxStats?> GetStatsAsync(string sandboxId, CancellationToken cancellationToken)
    {
        ExecResult result;
        try
        {
            result = await _exec.RunAsync(sandboxId, KubernetesStats.Command, ReadOnlyMemory<byte>.Empty, 1024 * 1024, cancellationToken);
        }
        catch (SandboxRuntimeException ex) when (ex is not SandboxRuntimeUnavailableException)
        {
            // Null for a pod that is gone or not running (the exec says why it could not start); other failures stand.
            if (await Calls.IsMissingOrStoppedAsync(sandboxId, cancellationToken))
            {
                return null;
            }

            throw;
        }

        return KubernetesStats.Parse(result);
    }

    public void Dispose() => _client.Dispose();

    private static SandboxInfo Info(V1Pod pod)
    {
        var annotations = pod.Metadata?.Annotations;
        var labels = pod.Metadata?.Labels;
        string? Read(string annotation, string label) =>
            annotations is not null && annotations.TryGetValue(annotation, out var raw) ? raw
            : labels is not null && labels.TryGetValue(label, out var value) ? value : null;
        return new SandboxInfo(
            pod.Metadata!.Name,
            Read(KubernetesPodSpec.SessionAnnotation, SandboxLabels.SessionId),
            Read(KubernetesPodSpec.OwnerAnnotation, SandboxLabels.Owner),
            Read(KubernetesPodSpec.AgentAnnotation, SandboxLabels.Agent),
            pod.Status?.Phase == "Running" && pod.Metadata.DeletionTimestamp is null)
        {
            InstanceId = Read(KubernetesPodSpec.InstanceAnnotation, SandboxLabels.Instance),
        };
    }
}
