using RemoltBlazor.Sandboxes.Agents;

namespace RemoltBlazor.Web.Endpoints;

internal static class AgentEndpoints
{
    public static IEndpointRouteBuilder MapAgentEndpoints(this IEndpointRouteBuilder routes)
    {
        routes.MapGet("/api/agents", List).AllowAnonymous().WithTags("Agents").WithSummary("The agents a session can run"); // open without sign-in, as in the original
        return routes;
    }

    private static AgentSummary[] List(AgentCatalog agents) =>
    [
        .. agents.All.Select(a => new AgentSummary(
            a.Id, a.DisplayName, a.Description, a.Icon, a.HasDashboard,
            [.. a.EnvSchema.Select(e => new AgentEnvSchemaEntry(e.Key, e.Label, e.Secret, e.Required))])),
    ];
}
