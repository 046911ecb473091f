using RemoltBlazor.Data.Entities;

namespace RemoltBlazor.Sandboxes.Sessions;

/// <summary>
/// What admins may do beyond the owner's routes: see every session and end any of them. The web layer checks the
/// admin role before calling; Sandboxes knows logins, not roles.
/// </summary>
public sealed partial class SessionManager
{
    /// <summary>Every live session whoever owns it (ownerless ones included), oldest first: the admins' listing.</summary>
    public IReadOnlyList<Session> ListAll()
    {
        lock (_gate)
        {
            return [.. _sessions.Values.OrderBy(s => s.CreatedAt)];
        }
    }

    /// <summary>Ends anyone's running session for an admin: reason <c>admin</c>, and the event names who did it.</summary>
    public async Task EndAsAdminAsync(string id, string admin, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(admin);
        Session? session;
        lock (_gate)
        {
            _sessions.TryGetValue(id, out session);
        }

        if (session is not { State: SessionState.Running })
        {
            throw new SessionNotFoundException();
        }

        await EndAsync(session, "admin", admin, cancellationToken);
    }
}
