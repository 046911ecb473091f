using System.Net.Sockets;
using System.Text.Json;
using Docker.DotNet;
using Microsoft.Extensions.Options;
using RemoltBlazor.Sandboxes.Runtime;

namespace RemoltBlazor.Sandboxes.Docker;

/// <summary>
/// Docker.DotNet's client for the configured socket, pinned to the API version the daemon reports at
/// <c>GET /version</c>: Docker.DotNet does not negotiate, and a daemon refuses a pinned version newer than its own
/// (engine 20.10 speaks 1.41, engines 29+ refuse very old ones). The daemon is asked on first use, not at startup, so
/// the app starts and its probe answers without one; a failed ask is simply asked again by the next call.
/// Calls go through <see cref="RunAsync{T}"/>, which turns what escapes Docker.DotNet into the runtime's exceptions.
/// </summary>
internal sealed class DockerEngine : IDisposable
{
    // Non-streaming calls only; hijacked exec streams live as long as a terminal and end by cancellation or dispose.
    private static readonly TimeSpan s_requestTimeout = TimeSpan.FromMinutes(2);

    private readonly SemaphoreSlim _pinLock = new(1, 1);
    private volatile DockerClient? _client;

    public DockerEngine(IOptions<DockerOptions> options)
        : this(options.Value.SocketPath)
    {
    }

    public DockerEngine(string socketPath) => SocketPath = socketPath;

    public string SocketPath { get; }

    /// <summary>
    /// Runs one engine call. What Docker.DotNet throws and the call did not handle becomes a
    /// <see cref="SandboxRuntimeException"/>: an error answer with the engine's own message, a socket that does not
    /// answer <see cref="SandboxRuntimeUnavailableException"/> naming the socket. The runtime's own exceptions and
    /// the caller's cancellation pass through.
    /// </summary>
    public async Task<T> RunAsync<T>(string operation, Func<DockerClient, Task<T>> call, CancellationToken cancellationToken)
    {
        try
        {
            return await call(await ClientAsync(cancellationToken));
        }
        catch (Exception ex) when (Translate(ex, operation, cancellationToken) is { } translated)
        {
            throw translated;
        }
    }

    public Task RunAsync(string operation, Func<DockerClient, Task> call, CancellationToken cancellationToken) =>
        RunAsync(operation, async client =>
        {
            await call(client);
            return true;
        }, cancellationToken);

    /// <summary>The engine's <c>{"message": "..."}</c> of an error answer, or the body as it came.</summary>
    public static string EngineMessage(DockerApiException ex)
    {
        var body = ex.ResponseBody?.Trim() ?? "";
        try
        {
            using var json = JsonDocument.Parse(body);
            if (json.RootElement.ValueKind == JsonValueKind.Object
                && json.RootElement.TryGetProperty("message", out var message) && message.ValueKind == JsonValueKind.String)
            {
                return message.GetString() ?? body;
            }
        }
        catch (JsonException)
        {
            // Plain-text error bodies exist (proxies, old engines): keep the text as it is.
        }

        return body;
    }

    /// <summary>A <c>filters</c> value selecting objects that carry every label (<c>key=value</c> or <c>key</c>).</summary>
    public static IDictionary<string, IDictionary<string, bool>> LabelFilter(params string[] labels) =>
        new Dictionary<string, IDictionary<string, bool>> { ["label"] = labels.ToDictionary(label => label, _ => true) };

    public void Dispose()
    {
        _client?.Dispose();
        _pinLock.Dispose();
    }

    private async ValueTask<DockerClient> ClientAsync(CancellationToken cancellationToken)
    {
        if (_client is { } pinned)
        {
            return pinned;
        }

        await _pinLock.WaitAsync(cancellationToken);
        try
        {
            if (_client is null)
            {
                // GET /version answers without a version prefix on every engine.
                using var unpinned = Build(apiVersion: null);
                var version = await unpinned.System.GetVersionAsync(cancellationToken);
                if (!Version.TryParse(version.APIVersion, out var api))
                {
                    throw new SandboxRuntimeUnavailableException(
                        $"The Docker engine at {SocketPath} reported no usable API version ('{version.APIVersion}').");
                }

                _client = Build(api);
            }

            return _client;
        }
        finally
        {
            _pinLock.Release();
        }
    }

    private DockerClient Build(Version? apiVersion) =>
        new DockerClientBuilder()
            .WithEndpoint(new Uri("unix://" + SocketPath))
            .WithApiVersion(apiVersion)
            .WithTimeout(s_requestTimeout)
            .Build();

    private Exception? Translate(Exception ex, string operation, CancellationToken cancellationToken) => ex switch
    {
        SandboxRuntimeException => null,
        OperationCanceledException when cancellationToken.IsCancellationRequested => null,
        DockerApiException api => new SandboxRuntimeException($"Docker {operation} failed ({(int)api.StatusCode}): {EngineMessage(api)}", api),
        HttpRequestException or SocketException or IOException =>
            new SandboxRuntimeUnavailableException($"Docker engine not reachable at {SocketPath}: {(ex.InnerException ?? ex).Message}", ex),
        // Docker.DotNet's own request timeout.
        OperationCanceledException => new SandboxRuntimeUnavailableException($"Docker engine at {SocketPath} did not answer {operation} in time.", ex),
        _ => null,
    };
}
