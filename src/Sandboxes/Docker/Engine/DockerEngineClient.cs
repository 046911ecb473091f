using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Sockets;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Microsoft.Extensions.Options;
using RemoltBlazor.Sandboxes.Runtime;

namespace RemoltBlazor.Sandboxes.Docker.Engine;

/// <summary>
/// A small Docker Engine API client over the unix socket, split by resource like Docker.DotNet (which the package
/// mirror lacks). API reference: https://docs.docker.com/reference/api/engine/version/v1.43/
/// HTTP errors become <see cref="DockerApiException"/> subtypes here; a socket that does not answer becomes
/// <see cref="SandboxRuntimeUnavailableException"/>.
/// </summary>
internal sealed class DockerEngineClient : IDisposable
{
    /// <summary>The newest API version this client was written against; engines 29+ refuse very old versions.</summary>
    public static readonly Version MaxApiVersion = new(1, 43);

    /// <summary>Exec resize, upgrade and label filters exist in this form since 1.24.</summary>
    public static readonly Version MinApiVersion = new(1, 24);

    internal const string ApiVersionHeader = "Api-Version";
    private const string JsonMediaType = "application/json";

    // The host part is ignored by the engine but HTTP/1.1 requires one.
    private static readonly Uri s_baseAddress = new("http://docker/");
    private static readonly HttpRequestOptionsKey<HijackSocketHolder> s_hijackSocketKey = new("remolt.docker.hijack-socket");

    private readonly HttpClient _http;
    private readonly HttpClient _hijackHttp;
    private readonly SemaphoreSlim _versionLock = new(1, 1);
    private Version? _apiVersion;

    public DockerEngineClient(IOptions<DockerOptions> options, TimeProvider timeProvider)
        : this(options.Value.SocketPath, timeProvider)
    {
    }

    public DockerEngineClient(string socketPath, TimeProvider? timeProvider = null)
    {
        SocketPath = socketPath;
        Time = timeProvider ?? TimeProvider.System;
        _http = new HttpClient(CreateHandler(socketPath, hijack: false)) { BaseAddress = s_baseAddress, Timeout = TimeSpan.FromMinutes(2) };
        // Hijacked streams live as long as a terminal does: no client-side timeout, cancellation tokens only.
        _hijackHttp = new HttpClient(CreateHandler(socketPath, hijack: true)) { BaseAddress = s_baseAddress, Timeout = Timeout.InfiniteTimeSpan };
        System = new DockerSystemApi(this);
        Images = new DockerImagesApi(this);
        Networks = new DockerNetworksApi(this);
        Containers = new DockerContainersApi(this);
        Exec = new DockerExecApi(this);
    }

    public string SocketPath { get; }

    public TimeProvider Time { get; }

    public DockerSystemApi System { get; }

    public DockerImagesApi Images { get; }

    public DockerNetworksApi Networks { get; }

    public DockerContainersApi Containers { get; }

    public DockerExecApi Exec { get; }

    /// <summary>min(engine's <c>Api-Version</c>, <see cref="MaxApiVersion"/>), asked once and then cached.</summary>
    public async Task<Version> GetApiVersionAsync(CancellationToken cancellationToken)
    {
        if (_apiVersion is { } known)
        {
            return known;
        }

        await _versionLock.WaitAsync(cancellationToken);
        try
        {
            if (_apiVersion is null)
            {
                var engine = await PingAsync(cancellationToken);
                if (engine < MinApiVersion)
                {
                    throw new SandboxRuntimeUnavailableException(
                        $"The Docker engine at {SocketPath} speaks API {engine}; at least {MinApiVersion} is needed.");
                }

                _apiVersion = engine < MaxApiVersion ? engine : MaxApiVersion;
            }

            return _apiVersion;
        }
        finally
        {
            _versionLock.Release();
        }
    }

    /// <summary><c>GET /_ping</c> (unversioned); returns the engine's own newest API version.</summary>
    public async Task<Version> PingAsync(CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "_ping");
        using var response = await SendCoreAsync(_http, request, HttpCompletionOption.ResponseContentRead, "ping", cancellationToken);
        if (!response.Headers.TryGetValues(ApiVersionHeader, out var values)
            || !Version.TryParse(values.FirstOrDefault(), out var version))
        {
            throw new DockerApiException(response.StatusCode, $"the /_ping answer has no valid {ApiVersionHeader} header", "ping");
        }

        return version;
    }

    internal async Task<T> SendJsonAsync<T>(
        HttpMethod method, string path, HttpContent? content, JsonTypeInfo<T> responseType, string operation, CancellationToken cancellationToken)
    {
        using var response = await SendAsync(method, path, content, operation, cancellationToken);
        await using var body = await response.Content.ReadAsStreamAsync(cancellationToken);
        return await JsonSerializer.DeserializeAsync(body, responseType, cancellationToken)
            ?? throw new DockerApiException(response.StatusCode, "the engine answered with an empty body", operation);
    }

    internal async Task SendWithoutResultAsync(HttpMethod method, string path, HttpContent? content, string operation, CancellationToken cancellationToken)
    {
        using var response = await SendAsync(method, path, content, operation, cancellationToken);
    }

    internal async Task<HttpResponseMessage> SendAsync(
        HttpMethod method, string path, HttpContent? content, string operation, CancellationToken cancellationToken)
    {
        var version = await GetApiVersionAsync(cancellationToken);
        using var request = new HttpRequestMessage(method, VersionedPath(version, path)) { Content = content };
        return await SendCoreAsync(_http, request, HttpCompletionOption.ResponseContentRead, operation, cancellationToken);
    }

    /// <summary>
    /// Sends a request that the engine answers with <c>101 UPGRADED</c> and then hands over the raw connection
    /// (exec start). Without the Upgrade headers the engine answers 200 with a read-only stream.
    /// </summary>
    internal async Task<DockerHijackedStream> SendHijackedAsync(string path, HttpContent content, string operation, CancellationToken cancellationToken)
    {
        var version = await GetApiVersionAsync(cancellationToken);
        using var request = new HttpRequestMessage(HttpMethod.Post, VersionedPath(version, path)) { Content = content };
        request.Headers.Connection.Add("Upgrade");
        request.Headers.Upgrade.Add(new ProductHeaderValue("tcp"));
        var holder = new HijackSocketHolder();
        request.Options.Set(s_hijackSocketKey, holder);

        var response = await SendCoreAsync(_hijackHttp, request, HttpCompletionOption.ResponseHeadersRead, operation, cancellationToken);
        try
        {
            if (response.StatusCode != HttpStatusCode.SwitchingProtocols)
            {
                throw new DockerApiException(response.StatusCode, "expected 101 Switching Protocols for a hijacked stream", operation);
            }

            var socket = holder.Socket ?? throw new InvalidOperationException("The hijacked connection's socket was not captured.");
            var stream = await response.Content.ReadAsStreamAsync(cancellationToken);
            return new DockerHijackedStream(response, stream, socket);
        }
        catch
        {
            response.Dispose();
            throw;
        }
    }

    internal static ByteArrayContent JsonBody<T>(T value, JsonTypeInfo<T> type)
    {
        // Serialized up front so the request has a Content-Length: a chunked body in front of a hijacked
        // connection risks the chunk terminator being read as stdin.
        var content = new ByteArrayContent(JsonSerializer.SerializeToUtf8Bytes(value, type));
        content.Headers.ContentType = new MediaTypeHeaderValue(JsonMediaType);
        return content;
    }

    internal static string LabelFilter(params string[] labels) =>
        Uri.EscapeDataString(JsonSerializer.Serialize(
            new Dictionary<string, string[]> { ["label"] = labels }, DockerJsonContext.Default.DictionaryStringStringArray));

    public void Dispose()
    {
        _http.Dispose();
        _hijackHttp.Dispose();
        _versionLock.Dispose();
    }

    private static string VersionedPath(Version version, string path) =>
        string.Create(CultureInfo.InvariantCulture, $"v{version.Major}.{version.Minor}/{path}");

    private async Task<HttpResponseMessage> SendCoreAsync(
        HttpClient client, HttpRequestMessage request, HttpCompletionOption completion, string operation, CancellationToken cancellationToken)
    {
        HttpResponseMessage response;
        try
        {
            response = await client.SendAsync(request, completion, cancellationToken);
        }
        catch (HttpRequestException ex)
        {
            throw new SandboxRuntimeUnavailableException(
                $"Docker engine not reachable at {SocketPath}: {ex.InnerException?.Message ?? ex.Message}", ex);
        }
        catch (TaskCanceledException ex) when (!cancellationToken.IsCancellationRequested)
        {
            throw new SandboxRuntimeUnavailableException($"Docker engine at {SocketPath} did not answer {operation} in time.", ex);
        }

        if ((int)response.StatusCode < 400)
        {
            return response;
        }

        using (response)
        {
            throw await ToExceptionAsync(response, operation, cancellationToken);
        }
    }

    private static async Task<DockerApiException> ToExceptionAsync(HttpResponseMessage response, string operation, CancellationToken cancellationToken)
    {
        var text = await response.Content.ReadAsStringAsync(cancellationToken);
        var message = text.Trim();
        try
        {
            message = JsonSerializer.Deserialize(text, DockerJsonContext.Default.DockerErrorResponse)?.Message ?? message;
        }
        catch (JsonException)
        {
            // Plain-text error bodies exist (proxies, old engines): keep the text as it is.
        }

        return response.StatusCode switch
        {
            HttpStatusCode.NotFound => new DockerNotFoundException(message, operation),
            HttpStatusCode.Conflict => new DockerConflictException(message, operation),
            _ => new DockerApiException(response.StatusCode, message, operation),
        };
    }

    private static SocketsHttpHandler CreateHandler(string socketPath, bool hijack) => new()
    {
        // A hijacked connection must be a fresh one whose socket we saw, so never reuse one for it.
        PooledConnectionLifetime = hijack ? TimeSpan.Zero : TimeSpan.FromMinutes(5),
        ConnectCallback = async (context, cancellationToken) =>
        {
            var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
            try
            {
                await socket.ConnectAsync(new UnixDomainSocketEndPoint(socketPath), cancellationToken);
            }
            catch
            {
                socket.Dispose();
                throw;
            }

            if (hijack && context.InitialRequestMessage.Options.TryGetValue(s_hijackSocketKey, out var holder))
            {
                holder.Socket = socket;
            }

            return new NetworkStream(socket, ownsSocket: true);
        },
    };

    private sealed class HijackSocketHolder
    {
        public Socket? Socket { get; set; }
    }
}
