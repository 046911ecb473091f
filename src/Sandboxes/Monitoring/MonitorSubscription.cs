using System.Threading.Channels;

namespace RemoltBlazor.Sandboxes.Monitoring;

/// <summary>A subscription to <see cref="SessionMonitor"/>: read <see cref="Reader"/>, dispose to leave.</summary>
public sealed class MonitorSubscription(ChannelReader<MonitorUpdate> reader, Action unsubscribe) : IDisposable
{
    public ChannelReader<MonitorUpdate> Reader { get; } = reader;

    public void Dispose() => unsubscribe();
}
