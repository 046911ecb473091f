using RemoltBlazor.Sandboxes.Agents;
using RemoltBlazor.Sandboxes.Sessions;
using RemoltBlazor.Web.Hosting;

namespace RemoltBlazor.Web.Endpoints;

/// <summary>The original's session API: POST/GET /api/sessions, GET/DELETE /api/sessions/{id}.</summary>
internal static class SessionEndpoints
{
    public static IEndpointRouteBuilder MapSessionEndpoints(this IEndpointRouteBuilder routes)
    {
        var group = routes.MapGroup("/api/sessions").WithTags("Sessions");
        group.MapPost("", CreateAsync).WithSummary("Create a session: a sandbox running the chosen agent")
            .Produces<ErrorResponse>(StatusCodes.Status400BadRequest).Produces<ErrorResponse>(StatusCodes.Status429TooManyRequests);
        group.MapGet("", ListAsync).WithSummary("Your running sessions");
        group.MapGet("/{id}", GetAsync).WithSummary("One of your sessions").Produces<ErrorResponse>(StatusCodes.Status404NotFound);
        group.MapDelete("/{id}", DeleteAsync).WithSummary("End one of your sessions (its sandbox is removed)").Produces<ErrorResponse>(StatusCodes.Status404NotFound);
        return routes;
    }

    private static async Task<SessionResponse> CreateAsync(
        CreateSessionBody? body, HttpContext http, SessionManager sessions, AgentCatalog agents, CancellationToken cancellationToken)
    {
        body ??= new CreateSessionBody(null, null, null, null, null, null, null);
        var credentials = new Dictionary<string, string>(StringComparer.Ordinal);
        if (!string.IsNullOrWhiteSpace(body.GithubToken))
        {
            credentials[SessionCredentials.GitHubToken] = body.GithubToken;
        }

        if (!string.IsNullOrWhiteSpace(body.ApiKey))
        {
            credentials[SessionCredentials.AnthropicApiKey] = body.ApiKey;
        }

        var request = new CreateSessionRequest(
            body.AgentType,
            body.GitUserName,
            body.GitUserEmail,
            body.RepoUrl,
            body.AgentEnv?.Where(e => !string.IsNullOrEmpty(e.Value)).ToDictionary(e => e.Key, e => e.Value!, StringComparer.Ordinal),
            credentials);

        // The sandbox outlives this request: a client that gives up must not abort a create half-way.
        var session = await sessions.CreateAsync(CallerName.Of(http), request, CancellationToken.None);
        cancellationToken.ThrowIfCancellationRequested();
        return SessionUrls.Response(session, agents.Find(session.AgentId), terminals: 1, http);
    }

    private static async Task<SessionSummary[]> ListAsync(HttpContext http, SessionManager sessions, AgentCatalog agents, CancellationToken cancellationToken)
    {
        var mine = sessions.ListRunning(CallerName.Of(http));
        var counts = await Task.WhenAll(mine.Select(s => sessions.CountTerminalsAsync(s, cancellationToken)));
        return [.. mine.Select((s, i) => SessionUrls.Summary(s, agents.Find(s.AgentId), counts[i], http))];
    }

    private static async Task<SessionResponse> GetAsync(
        string id, HttpContext http, SessionManager sessions, AgentCatalog agents, CancellationToken cancellationToken)
    {
        var session = Find(id, http, sessions);
        var terminals = await sessions.CountTerminalsAsync(session, cancellationToken);
        return SessionUrls.Response(session, agents.Find(session.AgentId), terminals, http);
    }

    private static async Task<SessionTerminated> DeleteAsync(string id, HttpContext http, SessionManager sessions)
    {
        var session = Find(id, http, sessions);
        await sessions.EndAsync(session, "user", CancellationToken.None);
        return new SessionTerminated("terminated", session.Id);
    }

    private static Session Find(string id, HttpContext http, SessionManager sessions) =>
        SessionIds.IsWellFormed(id) ? sessions.Get(id, CallerName.Of(http)) : throw new SessionNotFoundException();
}
