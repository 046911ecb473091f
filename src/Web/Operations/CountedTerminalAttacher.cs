using RemoltBlazor.Sandboxes.Metrics;
using RemoltBlazor.Sandboxes.Runtime;
using RemoltBlazor.Sandboxes.Terminals;

namespace RemoltBlazor.Web.Operations;

/// <summary>
/// Counts each successful attach under the transport of whoever holds this attacher (<c>remolt_terminal_attaches_total</c>),
/// and every admin watch as <c>admin</c>. The attacher is shared by every transport and cannot tell them apart; the
/// bytes are counted below it, in the terminal stream both transports read and write.
/// </summary>
internal sealed class CountedTerminalAttacher(ITerminalAttacher inner, RemoltMetrics metrics, string transport) : ITerminalAttacher
{
    public async Task<TerminalStream> AttachAsync(string sessionId, string caller, TerminalAttachOptions options, CancellationToken cancellationToken)
    {
        var stream = await inner.AttachAsync(sessionId, caller, options, cancellationToken);
        metrics.TerminalAttached(transport);
        return stream;
    }

    public async Task<TerminalStream> WatchAsync(string sessionId, string admin, TerminalAttachOptions options, CancellationToken cancellationToken)
    {
        var stream = await inner.WatchAsync(sessionId, admin, options, cancellationToken);
        metrics.TerminalAttached(RemoltMetrics.Transports.Admin);
        return stream;
    }
}
