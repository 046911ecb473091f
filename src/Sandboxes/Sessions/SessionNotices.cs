using System.Collections.Concurrent;
using System.Threading.Channels;

namespace RemoltBlazor.Sandboxes.Sessions;

/// <summary>Something a connected user should be told about their session.</summary>
public abstract record SessionNotice(string SessionId);

/// <summary>The session will be ended at <paramref name="Deadline"/> unless something happens (or the user keeps it alive).</summary>
public sealed record SessionEndingSoon(string SessionId, DateTimeOffset Deadline, string Reason) : SessionNotice(SessionId);

/// <summary>A warning no longer holds: there was activity, or the user kept the session alive.</summary>
public sealed record SessionKeptAlive(string SessionId) : SessionNotice(SessionId);

/// <summary>The session ended (user, idle, lifetime, sandbox_exited, lost).</summary>
public sealed record SessionEndedNotice(string SessionId, string Reason) : SessionNotice(SessionId);

/// <summary>
/// Fan-out of notices to the pages watching a session: one bounded channel per subscriber, written without ever
/// blocking the publisher (a stalled page loses its oldest notices, not the reaper's time).
/// </summary>
public sealed class SessionNotices
{
    private const int Capacity = 16;

    private readonly ConcurrentDictionary<string, ConcurrentDictionary<Channel<SessionNotice>, byte>> _subscribers = new(StringComparer.Ordinal);

    public SessionNoticeSubscription Subscribe(string sessionId)
    {
        var channel = Channel.CreateBounded<SessionNotice>(new BoundedChannelOptions(Capacity)
        {
            FullMode = BoundedChannelFullMode.DropOldest,
            SingleReader = true,
        });
        _subscribers.GetOrAdd(sessionId, _ => new()).TryAdd(channel, 0);
        return new SessionNoticeSubscription(channel.Reader, () => Unsubscribe(sessionId, channel));
    }

    public void Publish(SessionNotice notice)
    {
        if (!_subscribers.TryGetValue(notice.SessionId, out var channels))
        {
            return;
        }

        foreach (var channel in channels.Keys)
        {
            channel.Writer.TryWrite(notice);
        }
    }

    internal int SubscriberCount(string sessionId) => _subscribers.TryGetValue(sessionId, out var channels) ? channels.Count : 0;

    private void Unsubscribe(string sessionId, Channel<SessionNotice> channel)
    {
        channel.Writer.TryComplete();
        if (_subscribers.TryGetValue(sessionId, out var channels))
        {
            channels.TryRemove(channel, out _);
        }
    }
}

/// <summary>A page's view of one session's notices; dispose to stop.</summary>
public sealed class SessionNoticeSubscription(ChannelReader<SessionNotice> reader, Action unsubscribe) : IDisposable
{
    public ChannelReader<SessionNotice> Reader { get; } = reader;

    public void Dispose() => unsubscribe();
}
