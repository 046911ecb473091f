using RemoltBlazor.Sandboxes.Runtime;

namespace RemoltBlazor.Web.Proxy;

/// <summary>Classifies why an upstream could not be reached (the connect callback's errors arrive wrapped).</summary>
internal static class UpstreamFailure
{
    public const string RefusedWebSocket = "The upstream refused the WebSocket";

    public const string TimedOut = "The upstream did not answer in time";

    public static bool IsPortClosed(Exception? exception) => Find<SandboxPortClosedException>(exception) is not null;

    /// <summary>Whether the upstream did not send its headers in time (<see cref="HeadersTimeoutHandler"/>).</summary>
    public static bool IsTimeout(Exception? exception) => Find<TimeoutException>(exception) is not null;

    /// <summary>A short reason for a 502, without internals such as sandbox ids.</summary>
    public static string Describe(Exception? exception) => exception switch
    {
        _ when Find<SandboxNotFoundException>(exception) is not null => "The sandbox is not there any more",
        _ when Find<SandboxRuntimeUnavailableException>(exception) is not null => "The sandbox runtime is not answering",
        _ when IsTimeout(exception) => TimedOut,
        _ when Find<System.Net.WebSockets.WebSocketException>(exception) is not null => RefusedWebSocket,
        _ => "The upstream closed the connection or sent an invalid response",
    };

    private static T? Find<T>(Exception? exception) where T : Exception
    {
        for (var e = exception; e is not null; e = e.InnerException)
        {
            if (e is T match)
            {
                return match;
            }
        }

        return null;
    }
}
