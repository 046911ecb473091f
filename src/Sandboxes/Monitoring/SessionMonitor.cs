using System.Diagnostics;
using System.Text;
using System.Threading.Channels;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using RemoltBlazor.Data.Sessions;
using RemoltBlazor.Sandboxes.Agents;
using RemoltBlazor.Sandboxes.Runtime;
using RemoltBlazor.Sandboxes.Sessions;
using RemoltBlazor.Sandboxes.Terminals;

namespace RemoltBlazor.Sandboxes.Monitoring;

/// <summary>
/// The admin page's one server-side feed. While at least one page subscribes (nothing runs without one), every
/// <see cref="MonitorOptions.Interval"/> it builds one <see cref="MonitorUpdate"/> of every live session and the
/// server panel and offers that same object to every subscriber's channel of one (the latest wins: a slow page skips
/// updates and never holds up the producer or another page). Resource stats are read every
/// <see cref="MonitorOptions.StatsInterval"/> in the background, so a slow runtime delays only the numbers, not
/// the table. A failing tick is logged and the next one runs.
/// </summary>
public sealed partial class SessionMonitor : BackgroundService
{
    /// <summary>The most a screen capture returns (a 500x1000 screen would be 500 KB; real ones are a few KB).</summary>
    public const int MaxScreenBytes = 64 * 1024;

    private static readonly TimeSpan s_captureTimeout = TimeSpan.FromSeconds(5);

    private static readonly BoundedChannelOptions s_channelOptions = new(1)
    {
        FullMode = BoundedChannelFullMode.DropOldest,
        SingleReader = true,
        SingleWriter = false, // the loop, and Subscribe handing a newcomer the latest update at once
    };

    private readonly SessionManager _sessions;
    private readonly ISandboxRuntime _runtime;
    private readonly TerminalClients _clients;
    private readonly IOptions<SessionOptions> _sessionOptions;
    private readonly MonitorOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger<SessionMonitor> _logger;
    private readonly UsageSampler _usage;
    private readonly ServerStatusSampler _server;

    private readonly Lock _gate = new();
    private Channel<MonitorUpdate>[] _subscribers = [];
    private TaskCompletionSource? _watched;
    private MonitorUpdate? _latest;
    private volatile bool _sampling;

    private Task _refresh = Task.CompletedTask;
    private DateTimeOffset _nextRefreshAt;
    private long _ticks;
    private long _tickTicks;
    private long _refreshes;
    private long _refreshTicks;

    public SessionMonitor(
        SessionManager sessions,
        ISandboxRuntime runtime,
        TerminalClients clients,
        WarmSandboxStore warmSandboxes,
        AgentCatalog agents,
        IOptions<SessionOptions> sessionOptions,
        IOptions<MonitorOptions> options,
        TimeProvider time,
        ILogger<SessionMonitor> logger)
    {
        _sessions = sessions;
        _runtime = runtime;
        _clients = clients;
        _sessionOptions = sessionOptions;
        _options = options.Value;
        _time = time;
        _logger = logger;
        _usage = new UsageSampler(runtime, _options.HistoryLength, time, logger);
        _server = new ServerStatusSampler(runtime, warmSandboxes, agents, sessionOptions, time);
    }

    /// <summary>Pages watching right now.</summary>
    public int SubscriberCount => Volatile.Read(ref _subscribers).Length;

    /// <summary>Whether the sampler loop is running (it is exactly while someone subscribes, give or take a tick).</summary>
    internal bool IsSampling => _sampling;

    /// <summary>Sessions whose usage history is kept right now.</summary>
    internal int TrackedSessions => _usage.Count;

    /// <summary>What the sampler itself has cost so far (wall time inside ticks and stats refreshes), for the bench.</summary>
    internal MonitorCost Cost => new(
        Interlocked.Read(ref _ticks), TimeSpan.FromTicks(Interlocked.Read(ref _tickTicks)),
        Interlocked.Read(ref _refreshes), TimeSpan.FromTicks(Interlocked.Read(ref _refreshTicks)));

    /// <summary>One bounded channel per subscriber (latest update wins; the producer never blocks). Dispose to leave.</summary>
    public MonitorSubscription Subscribe()
    {
        var channel = Channel.CreateBounded<MonitorUpdate>(s_channelOptions);
        lock (_gate)
        {
            _subscribers = [.. _subscribers, channel];
            if (_latest is { } latest)
            {
                channel.Writer.TryWrite(latest); // The loop is running: no need to wait for its next tick.
            }

            _watched?.TrySetResult();
        }

        return new MonitorSubscription(channel.Reader, () => Unsubscribe(channel));
    }

    /// <summary>The visible screen of a session's tmux window (text of <c>tmux capture-pane -p</c>), for an admin's preview.</summary>
    /// <remarks>No owner check: the web layer calls it for admins only. Empty when that window does not exist.</remarks>
    /// <exception cref="SessionNotFoundException">No running session has that id.</exception>
    /// <exception cref="SandboxRuntimeException">The sandbox did not answer (in time).</exception>
    public async Task<string> CaptureScreenAsync(string sessionId, int window, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(window);
        if (!SessionIds.IsWellFormed(sessionId))
        {
            throw new SessionNotFoundException();
        }

        var session = _sessions.GetAny(sessionId);
        var name = new TerminalAttachOptions(window).TmuxSessionName;
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(s_captureTimeout);
        try
        {
            var result = await _runtime.ExecAsync(
                session.SandboxId!, ["sh", "-c", TmuxCommands.CaptureScreenScript(name, MaxScreenBytes)], ReadOnlyMemory<byte>.Empty, timeout.Token);
            return Encoding.UTF8.GetString(result.Stdout).TrimEnd();
        }
        catch (OperationCanceledException ex) when (!cancellationToken.IsCancellationRequested)
        {
            throw new SandboxRuntimeException($"The sandbox of session {sessionId} did not answer a screen capture in time.", ex);
        }
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            await WaitForSubscriberAsync(stoppingToken);
            await RunWhileWatchedAsync(stoppingToken);
        }
    }

    /// <summary>One tick: starts a stats refresh when one is due, then builds and offers the update.</summary>
    internal async Task TickAsync(CancellationToken cancellationToken)
    {
        var started = Stopwatch.GetTimestamp();
        var sessions = _sessions.ListAll();
        var now = _time.GetUtcNow();
        if (now >= _nextRefreshAt && _refresh.IsCompleted)
        {
            await ObserveRefreshAsync();
            _nextRefreshAt = now + _options.StatsInterval;
            _refresh = RefreshAsync(sessions, cancellationToken);
            if (_latest is null)
            {
                // A page that just opened gets numbers in its first update, unless the runtime is slow to answer.
                using var wait = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
                await Task.WhenAny(_refresh, Task.Delay(_options.Interval, _time, wait.Token));
                await wait.CancelAsync();
            }
        }

        var update = BuildUpdate(sessions, now);
        Publish(update);
        Interlocked.Increment(ref _ticks);
        Interlocked.Add(ref _tickTicks, Stopwatch.GetElapsedTime(started).Ticks);
    }

    /// <summary>Reads every running session's stats and the server panel's slow parts once.</summary>
    internal async Task RefreshAsync(IReadOnlyList<Session> sessions, CancellationToken cancellationToken)
    {
        var started = Stopwatch.GetTimestamp();
        try
        {
            await Task.WhenAll(_usage.RefreshAsync(sessions, cancellationToken), _server.RefreshAsync(cancellationToken));
        }
        finally
        {
            Interlocked.Increment(ref _refreshes);
            Interlocked.Add(ref _refreshTicks, Stopwatch.GetElapsedTime(started).Ticks);
        }
    }

    internal MonitorUpdate BuildUpdate(IReadOnlyList<Session> sessions, DateTimeOffset now)
    {
        var settings = _sessionOptions.Value;
        var rows = new SessionSnapshot[sessions.Count];
        for (var i = 0; i < rows.Length; i++)
        {
            var session = sessions[i];
            var usage = _usage.ViewOf(session.Id);
            var lastActivity = session.LastActivity;
            rows[i] = new SessionSnapshot(
                session.Id,
                session.Owner,
                session.AgentId,
                session.State,
                session.CreatedAt,
                lastActivity,
                _clients.CountOf(session.Id),
                usage.Usage,
                session.IsRunning ? settings.EndDeadline(session.CreatedAt, lastActivity).At : null,
                usage.CpuHistory,
                usage.MemoryHistory);
        }

        return new MonitorUpdate(rows, _server.Compose(sessions.Count, now));
    }

    private void Publish(MonitorUpdate update)
    {
        lock (_gate)
        {
            _latest = update;
        }

        foreach (var subscriber in Volatile.Read(ref _subscribers))
        {
            subscriber.Writer.TryWrite(update); // Never waits: a full channel drops its older update.
        }
    }

    private async Task RunWhileWatchedAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(_options.Interval, _time);
        _sampling = true;
        try
        {
            do
            {
                if (SubscriberCount == 0)
                {
                    return;
                }

                try
                {
                    await TickAsync(stoppingToken);
                }
                catch (Exception ex) when (ex is not OperationCanceledException || !stoppingToken.IsCancellationRequested)
                {
                    LogTickFailed(_logger, ex);
                }
            }
            while (await timer.WaitForNextTickAsync(stoppingToken));
        }
        finally
        {
            await ObserveRefreshAsync();
            lock (_gate)
            {
                _latest = null;
            }

            _usage.Clear();
            _nextRefreshAt = default;
            _sampling = false;
        }
    }

    private async Task WaitForSubscriberAsync(CancellationToken stoppingToken)
    {
        Task watched;
        lock (_gate)
        {
            if (_subscribers.Length > 0)
            {
                return;
            }

            _watched = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            watched = _watched.Task;
        }

        await watched.WaitAsync(stoppingToken);
    }

    /// <summary>Awaits the last refresh, logging (not throwing) how it failed.</summary>
    private async Task ObserveRefreshAsync()
    {
        try
        {
            await _refresh;
        }
        catch (OperationCanceledException)
        {
        }
        catch (Exception ex)
        {
            LogRefreshFailed(_logger, ex);
        }

        _refresh = Task.CompletedTask;
    }

    private void Unsubscribe(Channel<MonitorUpdate> channel)
    {
        lock (_gate)
        {
            _subscribers = [.. _subscribers.Where(c => c != channel)];
        }

        channel.Writer.TryComplete();
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Session monitor tick failed; the next one runs on schedule")]
    private static partial void LogTickFailed(ILogger logger, Exception exception);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Session monitor stats refresh failed; the next one runs on schedule")]
    private static partial void LogRefreshFailed(ILogger logger, Exception exception);
}
