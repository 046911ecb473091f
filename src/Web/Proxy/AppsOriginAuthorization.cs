using Microsoft.AspNetCore.Authorization;

namespace RemoltBlazor.Web.Proxy;

/// <summary>
/// Who may reach the proxy routes: on the app's origin, a signed-in caller (as everywhere); on the apps origin,
/// anyone, because there the app's sign-in is never read (its cookie may not even be sent, under REMOLT_APPS_HOST)
/// and the proxy itself admits only the holder of that session's apps cookie (<see cref="AppsTickets"/>).
/// </summary>
internal static class AppsOriginAuthorization
{
    public const string Policy = "signed-in-or-apps-origin";

    public static IServiceCollection AddAppsOriginAuthorization(this IServiceCollection services)
    {
        services.AddAuthorizationBuilder().AddPolicy(Policy, policy => policy.RequireAssertion(context =>
            context.User.Identity?.IsAuthenticated == true
            || (context.Resource is HttpContext http && http.RequestServices.GetRequiredService<AppsOrigin>().IsAppsRequest(http))));
        return services;
    }
}
