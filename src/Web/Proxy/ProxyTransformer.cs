using System.Net;
using System.Net.Http.Headers;
using Yarp.ReverseProxy.Forwarder;

namespace RemoltBlazor.Web.Proxy;

/// <summary>
/// The product's policies as YARP transforms, for one request to <paramref name="target"/>: which request headers go
/// upstream (<see cref="RequestHeaderPolicy"/>) and where, what the response headers become
/// (<see cref="ResponseHeaderPolicy"/>), OpenClaw's base path in its HTML, and socket traffic as session activity.
/// YARP does the rest: the body streamed both ways, the 101 upgrade and the byte relay after it.
/// </summary>
/// <param name="upstream">The raw path and query below the prefix on the sandbox port (<see cref="SandboxUpstream.Address"/>).</param>
internal sealed class ProxyTransformer(ProxyTarget target, Uri upstream, Action onSocketActivity) : HttpTransformer
{
    public override ValueTask TransformRequestAsync(HttpContext httpContext, HttpRequestMessage proxyRequest, string destinationPrefix, CancellationToken cancellationToken)
    {
        var request = httpContext.Request;
        var webSocket = httpContext.WebSockets.IsWebSocketRequest;

        // The handshake's Sec-WebSocket-* go through: the upstream answers the browser's upgrade itself. Origin goes
        // on sockets to the dashboard only, as in the original (after the app's own Origin check): code-server and
        // dev servers compare it with their Host and would refuse the app's origin.
        var headers = RequestHeaderPolicy.Forwarded(request.Headers, webSocket: false, forwardOrigin: !webSocket || target.Kind == ProxyKind.Dashboard)
            .Concat(RequestHeaderPolicy.ForwardedFor(httpContext, target));
        foreach (var (name, values) in headers)
        {
            // The request's collection refuses the body's headers (Content-Type, Content-Length, ...).
            if (!proxyRequest.Headers.TryAddWithoutValidation(name, (IEnumerable<string?>)values))
            {
                proxyRequest.Content?.Headers.TryAddWithoutValidation(name, (IEnumerable<string?>)values);
            }
        }

        proxyRequest.RequestUri = upstream;
        proxyRequest.Headers.Host = SandboxUpstream.HostHeader(target.Port);
        if (target.Kind == ProxyKind.Dashboard && target.AuthToken is { } token)
        {
            // The browser's Authorization never goes in; the dashboard gets the agent's own token (agent.json
            // ports[0].auth_token), as its connect frames do: OpenClaw's HTTP endpoints want it as a bearer token.
            proxyRequest.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }

        if (target.Kind == ProxyKind.Dashboard && HttpMethods.IsGet(request.Method)
            && request.Headers.Accept.ToString().Contains("text/html", StringComparison.OrdinalIgnoreCase))
        {
            // The base-path rewrite needs the page as text: ask for it unencoded (an upstream that encodes anyway is
            // decoded). Scripts and styles keep their compression.
            proxyRequest.Headers.AcceptEncoding.Clear();
        }

        return default;
    }

    public override async ValueTask<bool> TransformResponseAsync(HttpContext httpContext, HttpResponseMessage? proxyResponse, CancellationToken cancellationToken)
    {
        if (proxyResponse is null)
        {
            return false; // No answer: ProxyForwarder says why.
        }

        if (httpContext.WebSockets.IsWebSocketRequest && proxyResponse.StatusCode != HttpStatusCode.SwitchingProtocols)
        {
            return false; // Refused the upgrade: ProxyForwarder closes the browser's socket with a reason.
        }

        // NonValidated: the values as the upstream sent them. The parsed view splits some headers on spaces
        // ("Server: tiny-http (Rust)" would go out as two Server headers).
        var received = proxyResponse.Headers.NonValidated.Concat(proxyResponse.Content.Headers.NonValidated)
            .Select(static h => new KeyValuePair<string, IEnumerable<string>>(h.Key, h.Value));
        var headers = ResponseHeaderPolicy.Rewrite(received, target).ToList();

        if (proxyResponse.StatusCode == HttpStatusCode.SwitchingProtocols)
        {
            // YARP relays the upgraded connection's bytes from this content's stream: count them on the way.
            var connection = await proxyResponse.Content.ReadAsStreamAsync(cancellationToken);
            proxyResponse.Content = new UpgradedContent(new ActivityStream(connection, onSocketActivity));
        }

        var status = (int)proxyResponse.StatusCode;
        var hasBody = !HttpMethods.IsHead(httpContext.Request.Method) && status is not (204 or 304) and >= 200;
        if (hasBody && OpenClawBasePath.AppliesTo(target, proxyResponse.Content.Headers.ContentType?.ToString()))
        {
            return await RewriteBasePathAsync(httpContext.Response, proxyResponse.Content, headers, cancellationToken);
        }

        Append(httpContext.Response, headers);
        return true;
    }

    /// <summary>
    /// Sends OpenClaw's page with its base path set and returns false (nothing left for YARP to copy), or, for a page
    /// without the marker or too large to hold, sends what was read and returns true: YARP copies the rest from the
    /// same stream (<see cref="HttpContent.ReadAsStreamAsync()"/> hands out one stream per content).
    /// </summary>
    private async Task<bool> RewriteBasePathAsync(HttpResponse response, HttpContent content, List<KeyValuePair<string, string[]>> headers, CancellationToken cancellationToken)
    {
        var body = await content.ReadAsStreamAsync(cancellationToken);
        using var held = new MemoryStream();
        var buffer = new byte[16 * 1024];
        var read = -1;
        while (held.Length < OpenClawBasePath.MaxRewriteBytes && (read = await body.ReadAsync(buffer, cancellationToken)) > 0)
        {
            held.Write(buffer, 0, read);
        }

        var encoding = string.Join(',', content.Headers.ContentEncoding);
        if (read == 0 && OpenClawBasePath.TryRewrite(held.GetBuffer().AsSpan(0, (int)held.Length), encoding, target.Prefix) is { } rewritten)
        {
            Append(response, headers.Where(h => !IsLengthOrEncoding(h.Key)));
            response.ContentLength = rewritten.Length;
            await response.Body.WriteAsync(rewritten, cancellationToken);
            return false;
        }

        Append(response, headers);
        await response.Body.WriteAsync(held.GetBuffer().AsMemory(0, (int)held.Length), cancellationToken);
        return true;
    }

    private static void Append(HttpResponse response, IEnumerable<KeyValuePair<string, string[]>> headers)
    {
        foreach (var (name, values) in headers)
        {
            response.Headers.Append(name, values);
        }
    }

    private static bool IsLengthOrEncoding(string name) =>
        name.Equals("Content-Length", StringComparison.OrdinalIgnoreCase) || name.Equals("Content-Encoding", StringComparison.OrdinalIgnoreCase);

    /// <summary>An upgraded connection's stream as YARP reads it: the stream itself, both ways (StreamContent would make it read-only).</summary>
    private sealed class UpgradedContent(Stream connection) : HttpContent
    {
        protected override Task<Stream> CreateContentReadStreamAsync() => Task.FromResult(connection);

        protected override Task SerializeToStreamAsync(Stream stream, TransportContext? context) => connection.CopyToAsync(stream);

        protected override bool TryComputeLength(out long length)
        {
            length = 0;
            return false;
        }

        protected override void Dispose(bool disposing)
        {
            if (disposing)
            {
                connection.Dispose();
            }

            base.Dispose(disposing);
        }
    }
}
