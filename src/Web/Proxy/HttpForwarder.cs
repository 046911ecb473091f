using System.Buffers;
using System.Net;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Options;
using RemoltBlazor.Sandboxes.Sessions;
using RemoltBlazor.Web.Endpoints;

namespace RemoltBlazor.Web.Proxy;

/// <summary>
/// Forwards one HTTP request to a sandbox port and streams the answer back: any method (HEAD included), the raw
/// path and query as sent, the body streamed both ways without buffering or decoding, every response header value
/// kept (behaviour page, section 12 item 5). Upstream trouble is a 502 with a reason, never a 500; a port nobody
/// listens on yet is the "Starting..." page for navigations.
/// </summary>
internal sealed partial class HttpForwarder(
    SandboxUpstream upstream, SessionManager sessions, CodeServerProbe codeServer, IOptions<ProxyOptions> options, ILogger<HttpForwarder> logger)
{
    private const int CopyBufferBytes = 64 * 1024;

    private readonly TimeSpan _headersTimeout = TimeSpan.FromSeconds(options.Value.HeadersTimeoutSeconds);

    /// <param name="upstreamPath">The raw path below the proxy prefix, starting with '/'.</param>
    public async Task ForwardAsync(HttpContext http, ProxyTarget target, string upstreamPath)
    {
        sessions.Touch(target.Session); // Proxy users are active users (section 12 item 8).
        var aborted = http.RequestAborted;
        using var message = BuildRequest(http, target, upstreamPath);

        HttpResponseMessage response;
        using (var headersTimeout = CancellationTokenSource.CreateLinkedTokenSource(aborted))
        {
            headersTimeout.CancelAfter(_headersTimeout);
            try
            {
                response = await upstream.Invoker.SendAsync(message, headersTimeout.Token);
            }
            catch (OperationCanceledException) when (aborted.IsCancellationRequested)
            {
                return; // The browser went away.
            }
            catch (OperationCanceledException)
            {
                await WriteErrorAsync(http, StatusCodes.Status504GatewayTimeout, "The upstream did not answer in time");
                return;
            }
            catch (HttpRequestException ex) when (UpstreamFailure.IsPortClosed(ex))
            {
                await WriteStartingAsync(http, target);
                return;
            }
            catch (HttpRequestException ex)
            {
                LogUpstreamFailed(logger, target.Session.Id, target.Port, ex);
                await WriteErrorAsync(http, StatusCodes.Status502BadGateway, UpstreamFailure.Describe(ex));
                return;
            }
        }

        using (response)
        {
            await CopyResponseAsync(http, target, response, aborted);
        }
    }

    private HttpRequestMessage BuildRequest(HttpContext http, ProxyTarget target, string upstreamPath)
    {
        var request = http.Request;
        var message = new HttpRequestMessage(new HttpMethod(request.Method), upstream.Address(target.SandboxId, target.Port, upstreamPath + request.QueryString.Value))
        {
            Version = HttpVersion.Version11,
            VersionPolicy = HttpVersionPolicy.RequestVersionExact,
        };

        if (http.Features.Get<IHttpRequestBodyDetectionFeature>() is { CanHaveBody: true })
        {
            // Streamed as it arrives: a large upload is never held in memory.
            message.Content = new StreamContent(request.Body, CopyBufferBytes);
        }

        foreach (var (name, values) in RequestHeaderPolicy.Forwarded(request.Headers, webSocket: false, forwardOrigin: true))
        {
            if (RequestHeaderPolicy.IsContentHeader(name))
            {
                message.Content?.Headers.TryAddWithoutValidation(name, (IEnumerable<string?>)values);
            }
            else
            {
                message.Headers.TryAddWithoutValidation(name, (IEnumerable<string?>)values);
            }
        }

        foreach (var (name, values) in RequestHeaderPolicy.ForwardedFor(http, target))
        {
            message.Headers.TryAddWithoutValidation(name, (IEnumerable<string?>)values);
        }

        message.Headers.Host = SandboxUpstream.HostHeader(target.Port);
        if (target.Kind == ProxyKind.Dashboard && target.AuthToken is { } token)
        {
            // The browser's Authorization never goes in; the dashboard gets the agent's own token (agent.json
            // ports[0].auth_token), as its connect frames do: OpenClaw's HTTP endpoints want it as a bearer token.
            message.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", token);
        }

        if (target.Kind == ProxyKind.Dashboard && HttpMethods.IsGet(request.Method)
            && request.Headers.Accept.ToString().Contains("text/html", StringComparison.OrdinalIgnoreCase))
        {
            // The base-path rewrite needs the page as text: ask for it unencoded (an upstream that encodes anyway is
            // decoded). Scripts and styles keep their compression.
            message.Headers.AcceptEncoding.Clear();
        }

        return message;
    }

    private static async Task CopyResponseAsync(HttpContext http, ProxyTarget target, HttpResponseMessage response, CancellationToken aborted)
    {
        var status = (int)response.StatusCode;
        http.Response.StatusCode = status;
        // NonValidated: the values as the upstream sent them. The parsed view splits some headers on spaces
        // ("Server: tiny-http (Rust)" would go out as two Server headers).
        var received = response.Headers.NonValidated.Concat(response.Content.Headers.NonValidated)
            .Select(static h => new KeyValuePair<string, IEnumerable<string>>(h.Key, h.Value));
        var headers = ResponseHeaderPolicy.Rewrite(received, target).ToList();
        var hasBody = !HttpMethods.IsHead(http.Request.Method) && status is not (204 or 304) and >= 200;
        http.Features.Get<IHttpResponseBodyFeature>()?.DisableBuffering();

        await using var body = await response.Content.ReadAsStreamAsync(aborted);
        if (hasBody && OpenClawBasePath.AppliesTo(target, response.Content.Headers.ContentType?.ToString()))
        {
            var (held, complete) = await ReadUpToAsync(body, OpenClawBasePath.MaxRewriteBytes, aborted);
            var encoding = string.Join(',', response.Content.Headers.ContentEncoding);
            if (complete && OpenClawBasePath.TryRewrite(held, encoding, target.Prefix) is { } rewritten)
            {
                foreach (var (name, values) in headers.Where(h => !IsLengthOrEncoding(h.Key)))
                {
                    http.Response.Headers.Append(name, values);
                }

                http.Response.ContentLength = rewritten.Length;
                await http.Response.Body.WriteAsync(rewritten, aborted);
                return;
            }

            ApplyHeaders(http, headers);
            await http.Response.Body.WriteAsync(held, aborted);
        }
        else
        {
            ApplyHeaders(http, headers);
        }

        if (hasBody)
        {
            await StreamBodyAsync(http, body, aborted);
        }
    }

    private static void ApplyHeaders(HttpContext http, IEnumerable<KeyValuePair<string, string[]>> headers)
    {
        foreach (var (name, values) in headers)
        {
            http.Response.Headers.Append(name, values);
        }
    }

    private static bool IsLengthOrEncoding(string name) =>
        name.Equals("Content-Length", StringComparison.OrdinalIgnoreCase) || name.Equals("Content-Encoding", StringComparison.OrdinalIgnoreCase);

    /// <summary>Bytes as they come, flushed at once (server-sent events, long downloads).</summary>
    private static async Task StreamBodyAsync(HttpContext http, Stream body, CancellationToken aborted)
    {
        var buffer = ArrayPool<byte>.Shared.Rent(CopyBufferBytes);
        try
        {
            int read;
            while ((read = await body.ReadAsync(buffer, aborted)) > 0)
            {
                await http.Response.Body.WriteAsync(buffer.AsMemory(0, read), aborted);
                await http.Response.Body.FlushAsync(aborted);
            }
        }
        catch (Exception ex) when (ex is IOException or HttpRequestException && !aborted.IsCancellationRequested)
        {
            // The upstream broke off mid-body: end the browser's response as broken too, not as if it were complete.
            http.Abort();
        }
        catch (OperationCanceledException) when (aborted.IsCancellationRequested)
        {
            // The browser went away.
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    private static async Task<(byte[] Held, bool Complete)> ReadUpToAsync(Stream body, int limit, CancellationToken aborted)
    {
        using var held = new MemoryStream();
        var buffer = ArrayPool<byte>.Shared.Rent(CopyBufferBytes);
        try
        {
            while (held.Length < limit)
            {
                var read = await body.ReadAsync(buffer, aborted);
                if (read == 0)
                {
                    return (held.ToArray(), true);
                }

                held.Write(buffer, 0, read);
            }

            return (held.ToArray(), false);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    private async Task WriteStartingAsync(HttpContext http, ProxyTarget target)
    {
        if (target.Kind == ProxyKind.VsCode && !await codeServer.IsInstalledAsync(target.SandboxId, http.RequestAborted))
        {
            if (!HttpMethods.IsGet(http.Request.Method) && !HttpMethods.IsHead(http.Request.Method))
            {
                await WriteErrorAsync(http, StatusCodes.Status501NotImplemented, StartingPage.NotInstalledDetail);
                return;
            }

            // A navigation (the VS Code tab's iframe) gets a page that explains, and does not reload for ever.
            http.Response.StatusCode = StatusCodes.Status200OK;
            http.Response.ContentType = "text/html; charset=utf-8";
            http.Response.Headers.CacheControl = "no-store";
            if (HttpMethods.IsGet(http.Request.Method))
            {
                await http.Response.WriteAsync(StartingPage.NotInstalledHtml(), http.RequestAborted);
            }

            return;
        }

        if (!HttpMethods.IsGet(http.Request.Method) && !HttpMethods.IsHead(http.Request.Method))
        {
            await WriteErrorAsync(http, StatusCodes.Status502BadGateway, StartingPage.TitleFor(target).TrimEnd('.') + ": the upstream is not listening yet");
            return;
        }

        http.Response.StatusCode = StatusCodes.Status200OK;
        http.Response.ContentType = "text/html; charset=utf-8";
        http.Response.Headers.CacheControl = "no-store";
        if (HttpMethods.IsGet(http.Request.Method))
        {
            await http.Response.WriteAsync(StartingPage.Html(target), http.RequestAborted);
        }
    }

    internal static async Task WriteErrorAsync(HttpContext http, int status, string detail)
    {
        if (http.Response.HasStarted)
        {
            http.Abort();
            return;
        }

        http.Response.StatusCode = status;
        await http.Response.WriteAsJsonAsync(new ErrorResponse(detail), http.RequestAborted);
    }

    [LoggerMessage(EventId = 60, Level = LogLevel.Warning, Message = "Proxy request for session {SessionId} to port {Port} failed")]
    private static partial void LogUpstreamFailed(ILogger logger, string sessionId, int port, Exception exception);
}
