using RemoltBlazor.Sandboxes.Agents;
using RemoltBlazor.Sandboxes.Sessions;

namespace RemoltBlazor.Web.Endpoints;

/// <summary>The URLs a session response carries, built the way the original's frontend expects them.</summary>
internal static class SessionUrls
{
    public static string Terminal(string id) => $"/ws/terminal/{id}";

    public static string Logs(string id) => $"/ws/logs/{id}";

    public static SessionResponse Response(Session session, AgentDefinition? agent, int terminals)
    {
        var hasPorts = agent?.HasDashboard == true;
        return new SessionResponse(
            session.Id,
            "running",
            Terminal(session.Id),
            session.AgentId,
            hasPorts ? $"/proxy/{session.Id}/" : null,
            $"/vscode/{session.Id}/",
            // The original tied logs to ports (OpenClaw's hard-coded file); here they follow agent.json's "logs".
            string.IsNullOrWhiteSpace(agent?.Logs) ? null : Logs(session.Id),
            terminals);
    }

    public static SessionSummary Summary(Session session, AgentDefinition? agent, int terminals) => new(
        session.Id,
        "running",
        Terminal(session.Id),
        session.AgentId,
        agent?.HasDashboard == true ? $"/proxy/{session.Id}/" : null,
        session.CreatedAt.ToUnixTimeMilliseconds() / 1000.0,
        terminals);
}
