using Microsoft.AspNetCore.Mvc;
using RemoltBlazor.Data.Entities;
using RemoltBlazor.Sandboxes.Sessions;
using RemoltBlazor.Web.Hosting;

namespace RemoltBlazor.Web.Endpoints;

/// <summary>
/// The operators' API: <c>GET /api/admin/sessions</c> lists every live session whoever owns it, and
/// <c>DELETE /api/admin/sessions/{id}</c> ends any of them (event <c>session.ended</c> with <c>reason: admin</c>,
/// <c>by</c> and the admin's <c>note</c> if given). For anyone without the admin role the routes do not exist: the same 404 as an unknown /api path.
/// </summary>
internal static class AdminEndpoints
{
    public static IEndpointRouteBuilder MapAdminEndpoints(this IEndpointRouteBuilder routes)
    {
        var group = routes.MapGroup("/api/admin").AddEndpointFilter(AdminsOnlyAsync).WithTags("Admin");
        group.MapGet("/sessions", ListSessions).WithSummary("Every live session, whoever owns it (admins only; 404 for others)");
        group.MapDelete("/sessions/{id}", EndSessionAsync).WithSummary("End any session with an optional note (admins only)")
            .Produces<ErrorResponse>(StatusCodes.Status404NotFound);
        return routes;
    }

    private static async ValueTask<object?> AdminsOnlyAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next) =>
        CallerName.IsAdmin(context.HttpContext) ? await next(context) : TypedResults.NotFound();

    private static AdminSessionSummary[] ListSessions(SessionManager sessions) =>
        [.. sessions.ListAll().Select(s => new AdminSessionSummary(
            s.Id,
            s.Owner,
            s.AgentId,
            StateName(s.State),
            s.CreatedAt.ToUnixTimeMilliseconds() / 1000.0,
            s.LastActivity.ToUnixTimeMilliseconds() / 1000.0))];

    /// <summary>
    /// The admin's reason in words comes as <c>?note=</c> or a JSON body <c>{"note": "..."}</c> (the query wins when
    /// both are given); it is recorded as the event's <c>note</c>, at most <see cref="SessionManager.MaxAdminNoteLength"/> characters.
    /// </summary>
    private static async Task<SessionTerminated> EndSessionAsync(
        string id, [FromQuery] string? note, [FromBody] AdminEndBody? body, HttpContext http, SessionManager sessions)
    {
        if (!SessionIds.IsWellFormed(id))
        {
            throw new SessionNotFoundException();
        }

        // The sandbox removal outlives the request, as the owner's own DELETE does.
        await sessions.EndAsAdminAsync(id, CallerName.Of(http), string.IsNullOrWhiteSpace(note) ? body?.Note : note, CancellationToken.None);
        return new SessionTerminated("terminated", id);
    }

    /// <summary>The wire name of a state, lower case like the original's <c>status</c> values.</summary>
    private static string StateName(SessionState state) => state switch
    {
        SessionState.Creating => "creating",
        SessionState.Running => "running",
        SessionState.Ending => "ending",
        _ => "ended",
    };
}
