namespace RemoltBlazor.Web.Proxy;

/// <summary>
/// Bounds how long an upstream may take to send its response headers (or answer a WebSocket handshake), and nothing
/// after that: YARP's activity timeout would also end a body that pauses (a quiet server-sent event stream, a long
/// poll), which the proxies must let through for as long as the browser keeps it open. A timeout surfaces as an
/// <see cref="HttpRequestException"/> wrapping a <see cref="TimeoutException"/> (<see cref="UpstreamFailure.IsTimeout"/>),
/// so it is told apart from the browser going away.
/// </summary>
internal sealed class HeadersTimeoutHandler(TimeSpan timeout, HttpMessageHandler inner) : DelegatingHandler(inner)
{
    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        // Disposed once the headers are in: whatever the handler registered on it can no longer fire for the body.
        using var headers = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        headers.CancelAfter(timeout);
        try
        {
            return await base.SendAsync(request, headers.Token);
        }
        catch (OperationCanceledException) when (headers.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            throw new HttpRequestException(UpstreamFailure.TimedOut, new TimeoutException(UpstreamFailure.TimedOut));
        }
    }
}
