using RemoltBlazor.Data.Entities;

namespace RemoltBlazor.Sandboxes.Sessions;

/// <summary>
/// What admins may do beyond the owner's routes: see every session, watch it and end any of them. The web layer
/// checks the admin role before calling; Sandboxes knows logins, not roles.
/// </summary>
public sealed partial class SessionManager
{
    /// <summary>The longest note an admin may give when ending a session (it is stored in the event).</summary>
    public const int MaxAdminNoteLength = 500;

    /// <summary>Every live session whoever owns it (ownerless ones included), oldest first: the admins' listing.</summary>
    public IReadOnlyList<Session> ListAll()
    {
        lock (_gate)
        {
            return [.. _sessions.Values.OrderBy(s => s.CreatedAt)];
        }
    }

    /// <summary>A running session whoever owns it, for an admin's surfaces (watch, preview, end).</summary>
    /// <exception cref="SessionNotFoundException">No running session has that id.</exception>
    public Session GetAny(string id)
    {
        Session? session;
        lock (_gate)
        {
            _sessions.TryGetValue(id, out session);
        }

        return session is { State: SessionState.Running } ? session : throw new SessionNotFoundException();
    }

    /// <summary>Ends anyone's running session for an admin: reason <c>admin</c>, and the event names who did it.</summary>
    public Task EndAsAdminAsync(string id, string admin, CancellationToken cancellationToken) =>
        EndAsAdminAsync(id, admin, note: null, cancellationToken);

    /// <summary>As above, with the admin's reason in words recorded as the event's <c>note</c>.</summary>
    /// <exception cref="SessionRequestException">The note is longer than <see cref="MaxAdminNoteLength"/>.</exception>
    public async Task EndAsAdminAsync(string id, string admin, string? note, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(admin);
        note = string.IsNullOrWhiteSpace(note) ? null : note.Trim();
        if (note is { Length: > MaxAdminNoteLength })
        {
            throw new SessionRequestException($"The note is too long (at most {MaxAdminNoteLength} characters).");
        }

        await EndAsync(GetAny(id), "admin", admin, note, cancellationToken);
    }
}
