using System.Net.WebSockets;
using System.Runtime.ExceptionServices;
using RemoltBlazor.Sandboxes.Runtime;

namespace RemoltBlazor.Web.Realtime;

/// <summary>
/// The teardown every pair of socket pumps shares (terminal socket, logs socket, the dashboard's relay): both
/// directions run until one ends; the caller then says how long the other may still run by itself (a close handshake
/// in flight) before it is cancelled; both are awaited, so nothing outlives the call. Cancellation and what a gone
/// peer or sandbox throws end a pump quietly (logged), so the caller's orderly close still runs; anything else is
/// thrown once both have ended.
/// </summary>
internal static partial class SocketPumps
{
    private static readonly TimeSpan s_closeHandshakeTimeout = TimeSpan.FromSeconds(5);

    /// <param name="onOneEnded">Told whether <paramref name="first"/> was the one that ended and whether it ended
    /// cleanly; answers how long the other may still run.</param>
    /// <returns>Whether <paramref name="first"/> ended first, and whether both ended without error or cancellation.</returns>
    public static async Task<(bool FirstEndedFirst, bool Clean)> RunAsync(
        Func<CancellationToken, Task> first, Func<CancellationToken, Task> second,
        Func<bool, bool, Task<TimeSpan>> onOneEnded, ILogger logger, CancellationToken cancellationToken)
    {
        using var stopFirst = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        using var stopSecond = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var one = first(stopFirst.Token);
        var two = second(stopSecond.Token);
        var firstEndedFirst = await Task.WhenAny(one, two) == one;
        var (ended, other, stopOther) = firstEndedFirst ? (one, two, stopSecond) : (two, one, stopFirst);

        var endedBy = await FailureOf(ended);
        var grace = IsExpected(endedBy) ? await onOneEnded(firstEndedFirst, endedBy is null) : TimeSpan.Zero;
        if (grace > TimeSpan.Zero)
        {
            stopOther.CancelAfter(grace);
        }
        else
        {
            await stopOther.CancelAsync();
        }

        var otherEndedBy = await FailureOf(other);
        foreach (var failure in new[] { endedBy, otherEndedBy })
        {
            if (!IsExpected(failure))
            {
                ExceptionDispatchInfo.Throw(failure!);
            }

            if (failure is not null and not OperationCanceledException)
            {
                LogPumpEnded(logger, failure.GetType().Name, failure.Message);
            }
        }

        return (firstEndedFirst, endedBy is null && otherEndedBy is null);
    }

    /// <summary>
    /// A socket the sandbox feeds (terminal, logs): <paramref name="output"/> sends to it, <paramref name="input"/>
    /// reads it. Output ended: cancelling a pending receive would abort the socket without a close frame, so say
    /// goodbye first and let input end on the client's close reply (or give up after a while). Input ended (the
    /// client closed or broke): stop output, then answer the close.
    /// </summary>
    public static async Task BridgeAsync(
        WebSocket socket, Func<CancellationToken, Task> output, Func<CancellationToken, Task> input, string endedReason,
        ILogger logger, CancellationToken cancellationToken)
    {
        var (outputEndedFirst, _) = await RunAsync(output, input, async (outputEnded, _) =>
        {
            if (!outputEnded)
            {
                return TimeSpan.Zero;
            }

            await CloseOutputAsync(socket, endedReason, logger);
            return s_closeHandshakeTimeout;
        }, logger, cancellationToken);

        if (!outputEndedFirst)
        {
            await CloseOutputAsync(socket, "Client closed", logger);
        }
    }

    /// <summary>Reads until the client closes: for read-only sockets (logs, file changes), whose client messages mean nothing.</summary>
    public static async Task DiscardInputAsync(WebSocket socket, CancellationToken cancellationToken)
    {
        var buffer = new byte[4096];
        while (true)
        {
            var result = await socket.ReceiveAsync(buffer, cancellationToken);
            if (result.MessageType == WebSocketMessageType.Close)
            {
                return;
            }
        }
    }

    private static async Task CloseOutputAsync(WebSocket socket, string reason, ILogger logger)
    {
        if (socket.State is not (WebSocketState.Open or WebSocketState.CloseReceived))
        {
            return;
        }

        try
        {
            using var timeout = new CancellationTokenSource(s_closeHandshakeTimeout);
            await socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, reason, timeout.Token);
        }
        catch (Exception ex) when (ex is WebSocketException or OperationCanceledException)
        {
            LogPumpEnded(logger, ex.GetType().Name, ex.Message); // The peer is gone; the caller disposes the socket.
        }
    }

    private static async Task<Exception?> FailureOf(Task pump)
    {
        try
        {
            await pump;
            return null;
        }
        catch (Exception ex)
        {
            return ex;
        }
    }

    /// <summary>How a pump ends when its peer or sandbox goes away, or when it is told to stop.</summary>
    private static bool IsExpected(Exception? failure) =>
        failure is null or OperationCanceledException or WebSocketException or IOException or SandboxRuntimeException;

    [LoggerMessage(Level = LogLevel.Information, Message = "Socket pump ended by {ExceptionType}: {Reason}")]
    private static partial void LogPumpEnded(ILogger logger, string exceptionType, string reason);
}
