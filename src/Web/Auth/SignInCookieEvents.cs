using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.Extensions.Options;
using RemoltBlazor.Data.Users;
using RemoltBlazor.Web.Endpoints;

namespace RemoltBlazor.Web.Auth;

/// <summary>
/// What makes the cookie revocable and API-friendly: every request re-checks the server-side sign-in (a logout, a
/// revoked or expired sign-in, a disabled user count at once), and a caller without one gets the original's
/// <c>401 {"detail":"Authentication required"}</c>, except a page navigation, which goes to the sign-in page.
/// </summary>
internal sealed class SignInCookieEvents(SignInSessionStore signIns, IOptions<AuthOptions> options) : CookieAuthenticationEvents
{
    public const string SignInPath = "/signin";

    public override async Task ValidatePrincipal(CookieValidatePrincipalContext context)
    {
        var sid = context.Principal?.FindFirst(RemoltClaims.SignInId)?.Value;
        var check = sid is null ? SignInCheck.Invalid : await signIns.CheckAsync(sid, options.Value.SignInLifetime, context.HttpContext.RequestAborted);
        if (!check.Valid || !string.Equals(check.Login, context.Principal!.Identity?.Name, StringComparison.Ordinal))
        {
            context.RejectPrincipal();
            await context.HttpContext.SignOutAsync(AuthSchemes.Cookie);
            return;
        }

        if (check.Renewed)
        {
            context.ShouldRenew = true;
        }
    }

    public override Task RedirectToLogin(RedirectContext<CookieAuthenticationOptions> context)
    {
        var http = context.HttpContext;
        if (IsPageNavigation(http.Request))
        {
            var returnUrl = http.Request.PathBase + http.Request.Path + http.Request.QueryString;
            http.Response.Redirect($"{SignInPath}?returnUrl={Uri.EscapeDataString(returnUrl)}");
            return Task.CompletedTask;
        }

        return WriteErrorAsync(http, StatusCodes.Status401Unauthorized, "Authentication required");
    }

    public override Task RedirectToAccessDenied(RedirectContext<CookieAuthenticationOptions> context) =>
        WriteErrorAsync(context.HttpContext, StatusCodes.Status403Forbidden, "Not authorized");

    /// <summary>A browser opening a page (not the API, a socket, or a script's fetch), which a sign-in page helps.</summary>
    internal static bool IsPageNavigation(HttpRequest request) =>
        HttpMethods.IsGet(request.Method)
        && !request.HttpContext.WebSockets.IsWebSocketRequest
        && !request.Path.StartsWithSegments("/api")
        && !request.Path.StartsWithSegments("/auth")
        && !request.Path.StartsWithSegments("/ws")
        && !request.Path.StartsWithSegments("/_blazor")
        && request.Headers.Accept.ToString().Contains("text/html", StringComparison.OrdinalIgnoreCase);

    private static Task WriteErrorAsync(HttpContext http, int status, string detail)
    {
        http.Response.StatusCode = status;
        return http.Response.WriteAsJsonAsync(new ErrorResponse(detail));
    }
}
