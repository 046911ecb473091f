using System.Security.Claims;

namespace RemoltBlazor.Web.Auth;

/// <summary>
/// Who is calling. Until GitHub sign-in is configured everybody is the original's single <c>anonymous</c> user, and
/// every ownership check still runs against that name, so turning sign-in on changes no code path.
/// </summary>
internal static class Callers
{
    public const string Anonymous = "anonymous";

    public static string NameOf(ClaimsPrincipal? user) =>
        user?.Identity is { IsAuthenticated: true, Name: { Length: > 0 } name } ? name : Anonymous;

    public static string NameOf(HttpContext context) => NameOf(context.User);
}
