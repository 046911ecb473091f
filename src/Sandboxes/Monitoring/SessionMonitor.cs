using System.Threading.Channels;

namespace RemoltBlazor.Sandboxes.Monitoring;

// CONTRACT (lead, issue 11): the admin backend helper implements this; the admin page helper codes against it.
public sealed class SessionMonitor
{
    /// <summary>One bounded channel per subscriber (latest update wins; the producer never blocks). Dispose to leave.</summary>
    public MonitorSubscription Subscribe() => throw new NotImplementedException();

    /// <summary>The visible screen of a session's tmux window (text of <c>tmux capture-pane -p</c>), for an admin's preview.</summary>
    public Task<string> CaptureScreenAsync(string sessionId, int window, CancellationToken cancellationToken) => throw new NotImplementedException();
}

public sealed class MonitorSubscription(ChannelReader<MonitorUpdate> reader, Action unsubscribe) : IDisposable
{
    public ChannelReader<MonitorUpdate> Reader { get; } = reader;

    public void Dispose() => unsubscribe();
}
