using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using RemoltBlazor.Web.Auth;

namespace RemoltBlazor.Web.Tests.Auth;

/// <summary>
/// Adds <c>GET /test/admin</c> to an app under test: "true" when the caller's principal has the admin role. Nothing
/// in the original's API shows roles, so tests ask through this.
/// </summary>
internal sealed class RoleProbe : IStartupFilter
{
    public static void Add(IServiceCollection services) => services.AddSingleton<IStartupFilter, RoleProbe>();

    public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
    {
        app.Map("/test/admin", probe => probe.Run(async http =>
        {
            var result = await http.AuthenticateAsync(AuthSchemes.Default);
            await http.Response.WriteAsync(result.Principal?.IsInRole(AuthSchemes.AdminRole) == true ? "true" : "false");
        }));
        next(app);
    };
}
