using System.Security.Claims;
using RemoltBlazor.Web.Auth;

namespace RemoltBlazor.Web.Hosting;

/// <summary>
/// The name a request or circuit acts as: the owner that sessions are created for and checked against. Until
/// GitHub sign-in is configured everybody is the original's single <c>anonymous</c> user, and every ownership check
/// still runs against that name, so turning sign-in on changes no code path.
/// </summary>
internal static class CallerName
{
    public const string Anonymous = "anonymous";

    public static string Of(ClaimsPrincipal? user) =>
        user?.Identity is { IsAuthenticated: true, Name: { Length: > 0 } name } ? name : Anonymous;

    public static string Of(HttpContext context) => Of(context.User);

    /// <summary>Whether the signed-in caller holds the admin role (<c>REMOLT_ADMINS</c>); nobody signed in never does.</summary>
    public static bool IsAdmin(ClaimsPrincipal? user) =>
        user?.Identity is { IsAuthenticated: true } && user.IsInRole(AuthSchemes.AdminRole);

    public static bool IsAdmin(HttpContext context) => IsAdmin(context.User);
}
