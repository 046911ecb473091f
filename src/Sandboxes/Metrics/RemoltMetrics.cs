using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace RemoltBlazor.Sandboxes.Metrics;

/// <summary>
/// The app's instruments on the meter <c>RemoltBlazor</c> (created through <see cref="IMeterFactory"/>, so each host,
/// a test's included, has its own and a scrape shows only its own numbers). Names use OpenTelemetry's dots and units;
/// the Prometheus exporter turns them into <c>remolt_session_creates_total</c>, <c>..._duration_seconds</c> and so on.
/// The gauges (sessions by state, warm pool size) are observed by <see cref="SandboxGauges"/>. Every recording is a
/// counter <c>Add</c> with at most two tags: cheap enough for each terminal chunk.
/// </summary>
public sealed class RemoltMetrics
{
    public const string MeterName = "RemoltBlazor";

    // Seconds: a warm claim answers in tens of milliseconds, a cold create with an image build can take a minute.
    private static readonly double[] s_createBuckets = [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 20, 30, 60];

    private readonly Counter<long> _creates;
    private readonly Histogram<double> _createDuration;
    private readonly Counter<long> _attaches;
    private readonly Counter<long> _terminalBytes;
    private readonly Counter<long> _reaps;
    private readonly Counter<long> _proxyRequests;

    public RemoltMetrics(IMeterFactory meters)
    {
        Meter = meters.Create(MeterName);
        _creates = Meter.CreateCounter<long>("remolt.session.creates", "{session}", "Session creates by agent and result (ok or failed)");
        _createDuration = Meter.CreateHistogram("remolt.session.create.duration", "s", "Time from a create request to a running session",
            tags: null, advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = s_createBuckets });
        _attaches = Meter.CreateCounter<long>("remolt.terminal.attaches", "{attach}", "Terminal attaches by transport (websocket, circuit, admin)");
        _terminalBytes = Meter.CreateCounter<long>("remolt.terminal.bytes", "By", "Terminal bytes streamed: in = typed by clients, out = sent to clients");
        _reaps = Meter.CreateCounter<long>("remolt.session.reaps", "{session}", "Sessions ended by the reaper, by reason (idle, lifetime, sandbox_exited)");
        _proxyRequests = Meter.CreateCounter<long>("remolt.proxy.requests", "{request}", "Proxied requests by kind (dashboard, vscode, port) and final status");
    }

    /// <summary>The meter, for the observable gauges.</summary>
    public Meter Meter { get; }

    public void SessionCreated(string agent, bool succeeded, TimeSpan elapsed)
    {
        var tags = new TagList { { "agent", agent }, { "result", succeeded ? "ok" : "failed" } };
        _creates.Add(1, tags);
        _createDuration.Record(elapsed.TotalSeconds, tags);
    }

    /// <param name="transport">One of <see cref="Transports"/>.</param>
    public void TerminalAttached(string transport) => _attaches.Add(1, new KeyValuePair<string, object?>("transport", transport));

    public void TerminalInput(int bytes) => _terminalBytes.Add(bytes, new KeyValuePair<string, object?>("direction", "in"));

    public void TerminalOutput(int bytes) => _terminalBytes.Add(bytes, new KeyValuePair<string, object?>("direction", "out"));

    public void SessionReaped(string reason) => _reaps.Add(1, new KeyValuePair<string, object?>("reason", reason));

    public void ProxyRequest(string kind, int status) =>
        _proxyRequests.Add(1, new KeyValuePair<string, object?>("kind", kind), new KeyValuePair<string, object?>("status", StatusText(status)));

    // Strings, not boxed ints: the label is the same text either way, and the common ones allocate nothing.
    private static string StatusText(int status) => status switch
    {
        101 => "101",
        200 => "200",
        304 => "304",
        308 => "308",
        404 => "404",
        502 => "502",
        _ => status.ToString(System.Globalization.CultureInfo.InvariantCulture),
    };

    /// <summary>The <c>transport</c> label of an attach.</summary>
    public static class Transports
    {
        /// <summary>The raw terminal socket <c>/ws/terminal/{id}</c>.</summary>
        public const string WebSocket = "websocket";

        /// <summary>The Blazor workspace page's terminal.</summary>
        public const string Circuit = "circuit";

        /// <summary>An admin watching someone's session, read-only.</summary>
        public const string Admin = "admin";
    }
}
