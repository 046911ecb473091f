using System.Text;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using RemoltBlazor.Data.Entities;
using RemoltBlazor.Data.Events;
using RemoltBlazor.Data.Sessions;
using RemoltBlazor.Sandboxes.Agents;
using RemoltBlazor.Sandboxes.Metrics;
using RemoltBlazor.Sandboxes.Runtime;

namespace RemoltBlazor.Sandboxes.Sessions;

/// <summary>
/// Owns every live session: creates, finds, lists and ends them. Limits are checked and a slot reserved under one
/// lock before any await, so simultaneous creates can never overshoot (the original checked, then awaited). Every
/// state change is written to the database at once, so a crash at any point leaves a row the reconciler can act on.
/// </summary>
public sealed partial class SessionManager(
    ISandboxRuntime runtime,
    AgentCatalog agents,
    SessionStore store,
    EventLog events,
    IOptions<SessionOptions> options,
    SessionNotices notices,
    SandboxProvisioner provisioner,
    TimeProvider timeProvider,
    IEnumerable<IOwnerCredentials> ownerCredentials,
    RemoltMetrics metrics,
    ILogger<SessionManager> logger)
{
    private static readonly TimeSpan s_terminalCountTimeout = TimeSpan.FromSeconds(3);

    private readonly Lock _gate = new();
    private readonly Dictionary<string, Session> _sessions = new(StringComparer.Ordinal);

    /// <summary>Sessions that hold a slot (creating, running or ending).</summary>
    public int LiveCount
    {
        get
        {
            lock (_gate)
            {
                return _sessions.Count;
            }
        }
    }

    public IReadOnlyList<Session> Snapshot()
    {
        lock (_gate)
        {
            return [.. _sessions.Values];
        }
    }

    /// <param name="owner">The login the session belongs to; never empty (an ownerless session would belong to nobody).</param>
    public async Task<Session> CreateAsync(string owner, CreateSessionRequest request, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(owner);
        var started = timeProvider.GetTimestamp();
        var agentId = string.IsNullOrWhiteSpace(request.AgentId) ? AgentOptions.DefaultAgentId : request.AgentId.Trim();
        var agent = agents.Find(agentId) ?? throw new SessionRequestException($"Unknown agent type: {agentId}");

        // A missing image is built before a slot is taken (a build is no session and may take minutes); a launch that
        // would be over a limit is told so first rather than after the build.
        lock (_gate)
        {
            CheckLimits(owner);
        }

        await provisioner.PrepareImageAsync(owner, agent, cancellationToken);
        var (plainEnv, secrets) = SessionEnvironment.Build(agent, request, await ownerCredentials.ReadAllAsync(owner, cancellationToken));

        var session = Reserve(owner, agent.Id, plainEnv.ContainsKey("REPO_URL"));
        try
        {
            await store.InsertAsync(session.ToRecord(), cancellationToken);
            await provisioner.ProvisionAsync(session, agent, plainEnv, secrets, sandboxId => RecordSandboxAsync(session, sandboxId), cancellationToken);

            lock (_gate)
            {
                session.State = SessionState.Running;
            }

            await store.UpdateAsync(session.ToRecord(), CancellationToken.None);
        }
        catch (Exception ex)
        {
            await AbandonAsync(session, ex);
            metrics.SessionCreated(agent.Id, succeeded: false, timeProvider.GetElapsedTime(started));
            throw;
        }

        metrics.SessionCreated(agent.Id, succeeded: true, timeProvider.GetElapsedTime(started));

        LogCreated(logger, session.Id, owner, agent.Id, session.SandboxId!);
        await events.EmitAsync("session.created", EventFields.Of(
            ("session_id", session.Id), ("has_repo", session.HasRepo), ("user", owner), ("agent_type", agent.Id)));
        return session;
    }

    /// <summary>
    /// A running session the caller owns. Someone else's session is "not found" exactly like an unknown or ended id
    /// (same exception, same message), so no surface can tell a foreign id from a made-up one.
    /// </summary>
    public Session Get(string id, string caller)
    {
        Session? session;
        lock (_gate)
        {
            _sessions.TryGetValue(id, out session);
        }

        if (session is null || session.State != SessionState.Running || !session.IsOwnedBy(caller))
        {
            throw new SessionNotFoundException();
        }

        return session;
    }

    public IReadOnlyList<Session> ListRunning(string caller)
    {
        lock (_gate)
        {
            return [.. _sessions.Values
                .Where(s => s.State == SessionState.Running && s.IsOwnedBy(caller))
                .OrderBy(s => s.CreatedAt)];
        }
    }

    /// <summary>Ends the caller's session at their request (reason <c>user</c>).</summary>
    public Task EndAsync(string id, string caller, CancellationToken cancellationToken) =>
        EndAsync(Get(id, caller), "user", cancellationToken);

    /// <summary>Ends a session for a reason (user, idle, lifetime, sandbox_exited, lost). False if it was already ending.</summary>
    public Task<bool> EndAsync(Session session, string reason, CancellationToken cancellationToken) =>
        EndAsync(session, reason, endedBy: null, cancellationToken);

    /// <summary>As above; <paramref name="endedBy"/> names who ended it when that is not the owner (an admin), for the event.</summary>
    public Task<bool> EndAsync(Session session, string reason, string? endedBy, CancellationToken cancellationToken) =>
        EndAsync(session, reason, endedBy, note: null, cancellationToken);

    private async Task<bool> EndAsync(Session session, string reason, string? endedBy, string? note, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            if (session.State is SessionState.Ending or SessionState.Ended)
            {
                return false;
            }

            session.State = SessionState.Ending;
            session.EndReason = reason;
        }

        await store.UpdateAsync(session.ToRecord(), CancellationToken.None);
        if (session.SandboxId is { } sandboxId)
        {
            try
            {
                await runtime.RemoveAsync(sandboxId, cancellationToken);
            }
            catch (SandboxRuntimeException ex)
            {
                // The row still says why it ended; the reconciler removes the sandbox by its labels on the next start.
                LogRemoveFailed(logger, session.Id, ex);
            }
        }

        var now = timeProvider.GetUtcNow();
        lock (_gate)
        {
            session.State = SessionState.Ended;
            _sessions.Remove(session.Id);
        }

        await store.UpdateAsync(session.ToRecord(now), CancellationToken.None);
        LogEnded(logger, session.Id, reason);
        notices.Publish(new SessionEndedNotice(session.Id, reason));
        var duration = (long)Math.Round((now - session.CreatedAt).TotalSeconds);
        List<(string, object?)> fields = [("session_id", session.Id), ("reason", reason), ("duration_s", duration)];
        if (endedBy is not null)
        {
            fields.Add(("by", endedBy));
        }

        if (note is not null)
        {
            fields.Add(("note", note));
        }

        await events.EmitAsync("session.ended", EventFields.Of([.. fields]));
        return true;
    }

    /// <summary>Marks terminal input or output; cheap enough for every chunk.</summary>
    public void Touch(Session session) => session.Touch(timeProvider.GetUtcNow());

    /// <summary>The user's "keep alive": counts as activity now and withdraws any pending warning.</summary>
    public void KeepAlive(string id, string caller)
    {
        var session = Get(id, caller);
        Touch(session);
        notices.Publish(new SessionKeptAlive(session.Id));
    }

    public SessionNotices Notices => notices;

    /// <summary>The number of tmux sessions (terminal tabs) in the sandbox, at least 1, as the original reports it.</summary>
    public async Task<int> CountTerminalsAsync(Session session, CancellationToken cancellationToken)
    {
        if (session.SandboxId is null)
        {
            return 1;
        }

        try
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(s_terminalCountTimeout);
            var result = await runtime.ExecAsync(
                session.SandboxId, ["bash", "-lc", "tmux list-sessions -F '#{session_name}' 2>/dev/null"], ReadOnlyMemory<byte>.Empty, timeout.Token);
            var names = Encoding.UTF8.GetString(result.Stdout).Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
            return Math.Max(1, names.Count(n => n == "main" || n.StartsWith("main-", StringComparison.Ordinal)));
        }
        catch (Exception ex) when (ex is SandboxRuntimeException or OperationCanceledException && !cancellationToken.IsCancellationRequested)
        {
            return 1;
        }
    }

    /// <summary>Takes back a running session found in the database and alive in the runtime after a restart.</summary>
    internal Session Adopt(SessionRecord record)
    {
        var session = new Session(record.Id, record.Owner, record.AgentId, record.HasRepo, record.CreatedAt)
        {
            SandboxId = record.SandboxId,
            State = SessionState.Running,
        };

        // Idle time keeps counting across a restart (the original reset it on recovery, section 12 item 11).
        session.Touch(record.LastActivityAt);
        lock (_gate)
        {
            _sessions[session.Id] = session;
        }

        return session;
    }

    /// <summary>Writes the last-activity time of every live session whose activity moved since the last call.</summary>
    internal async Task PersistActivityAsync(CancellationToken cancellationToken)
    {
        foreach (var session in Snapshot())
        {
            var activity = session.LastActivity;
            if (session.State == SessionState.Running && activity != session.PersistedActivity)
            {
                await store.TouchAsync(session.Id, activity, cancellationToken);
                session.PersistedActivity = activity;
            }
        }
    }

    private Session Reserve(string owner, string agentId, bool hasRepo)
    {
        lock (_gate)
        {
            CheckLimits(owner);
            var session = new Session(SessionIds.New(), owner, agentId, hasRepo, timeProvider.GetUtcNow());
            _sessions.Add(session.Id, session);
            return session;
        }
    }

    /// <summary>Throws when a new session of <paramref name="owner"/> would exceed a limit; called under <see cref="_gate"/>.</summary>
    private void CheckLimits(string owner)
    {
        var settings = options.Value;
        if (_sessions.Count >= settings.MaxSessions)
        {
            throw new SessionLimitException("Max sessions reached");
        }

        if (_sessions.Values.Count(s => s.IsOwnedBy(owner)) >= settings.MaxUserSessions)
        {
            throw new SessionLimitException($"Max {settings.MaxUserSessions} sessions per user");
        }
    }

    /// <summary>
    /// Called by the provisioner as soon as a sandbox exists for the session (or is given up): the row names it at
    /// once, so a crash from here on leaves a row the reconciler can clean up.
    /// </summary>
    private async Task RecordSandboxAsync(Session session, string? sandboxId)
    {
        lock (_gate)
        {
            session.SandboxId = sandboxId;
        }

        await store.UpdateAsync(session.ToRecord(), CancellationToken.None);
    }

    /// <summary>Undoes a failed create: removes whatever sandbox exists, frees the slot, records why.</summary>
    private async Task AbandonAsync(Session session, Exception cause)
    {
        LogCreateFailed(logger, session.Id, cause);
        if (session.SandboxId is { } sandboxId)
        {
            try
            {
                await runtime.RemoveAsync(sandboxId, CancellationToken.None);
            }
            catch (SandboxRuntimeException ex)
            {
                LogRemoveFailed(logger, session.Id, ex);
            }
        }

        lock (_gate)
        {
            session.State = SessionState.Ended;
            session.EndReason = "create_failed";
            _sessions.Remove(session.Id);
        }

        try
        {
            await store.UpdateAsync(session.ToRecord(timeProvider.GetUtcNow()), CancellationToken.None);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // The insert itself may be what failed; there is then no row to update and nothing else to undo.
            LogCreateFailed(logger, session.Id, ex);
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Session {SessionId} created for {Owner} ({Agent}) in sandbox {SandboxId}")]
    private static partial void LogCreated(ILogger logger, string sessionId, string owner, string agent, string sandboxId);

    [LoggerMessage(Level = LogLevel.Information, Message = "Session {SessionId} ended: {Reason}")]
    private static partial void LogEnded(ILogger logger, string sessionId, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Creating session {SessionId} failed")]
    private static partial void LogCreateFailed(ILogger logger, string sessionId, Exception exception);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Removing the sandbox of session {SessionId} failed")]
    private static partial void LogRemoveFailed(ILogger logger, string sessionId, Exception exception);
}
