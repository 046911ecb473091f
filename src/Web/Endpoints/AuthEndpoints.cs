using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.OAuth;
using Microsoft.AspNetCore.Mvc;
using RemoltBlazor.Data.Keys;
using RemoltBlazor.Web.Auth;
using RemoltBlazor.Web.Auth.GitHub;
using RemoltBlazor.Web.Hosting;

namespace RemoltBlazor.Web.Endpoints;

/// <summary>
/// The original's auth routes (behaviour page 3.3): <c>/auth/login</c> (to GitHub, or the OIDC provider), <c>/auth/me</c>,
/// <c>/auth/logout</c> (POST, and GET for the original frontend), plus <c>/auth/token</c> for the <c>token</c> mode.
/// The providers' callbacks are handled by their authentication handlers.
/// </summary>
internal static class AuthEndpoints
{
    public static IEndpointRouteBuilder MapAuthEndpoints(this IEndpointRouteBuilder routes)
    {
        var group = routes.MapGroup("/auth").WithTags("Sign-in");
        group.MapGet("/login", Login).AllowAnonymous().WithSummary("Start signing in with the configured provider (a redirect)");
        group.MapGet("/me", MeAsync).WithSummary("Who is signed in");
        group.MapGet("/logout", LogoutAsync).AllowAnonymous().WithSummary("Sign out (a redirect)");
        group.MapPost("/logout", LogoutPostAsync).AllowAnonymous().DisableAntiforgery().WithSummary("Sign out");
        group.MapGet("/token", TokenFromQueryAsync).AllowAnonymous().WithSummary("Sign in with the login token (token mode) from the query");
        group.MapPost("/token", TokenFromFormAsync).AllowAnonymous().WithSummary("Sign in with the login token (token mode) from a form");
        return routes;
    }

    /// <summary>
    /// <c>?scopes=a,b</c> keeps the allow-listed scopes (public_repo, repo, user:email), sorted; the older frontend's
    /// <c>?repo=true</c> is accepted and means nothing more, as in the original.
    /// </summary>
    private static IResult Login(AuthModeResolver modes, string? scopes, string? returnUrl) => modes.Mode switch
    {
        AuthMode.GitHub => TypedResults.Challenge(
            new OAuthChallengeProperties { Scope = [.. GitHubSignIn.Scopes(scopes)], RedirectUri = LocalOr(returnUrl, "/?authed=1") },
            [AuthSchemes.GitHub]),
        AuthMode.Oidc => TypedResults.Challenge(
            new AuthenticationProperties { RedirectUri = LocalOr(returnUrl, "/?authed=1") }, [AuthSchemes.Oidc]),
        _ => TypedResults.Json(new ErrorResponse("GitHub OAuth not configured"), statusCode: StatusCodes.Status501NotImplemented),
    };

    private static async Task<MeResponse> MeAsync(HttpContext http, AuthModeResolver modes, ApiKeyStore keys, CancellationToken cancellationToken)
    {
        var user = http.User;
        var login = CallerName.Of(user);
        return new MeResponse(
            login,
            user.FindFirst(RemoltClaims.DisplayName)?.Value ?? "",
            user.FindFirst(RemoltClaims.Email)?.Value ?? "",
            modes.Required,
            await keys.NamesAsync(login, cancellationToken));
    }

    /// <summary>The original frontend's logout link: ends the server-side sign-in too (the original only dropped the cookie).</summary>
    private static async Task<IResult> LogoutAsync(HttpContext http, AppSignIn signIn)
    {
        await signIn.SignOutAsync(http.User, http.RequestAborted);
        await http.SignOutAsync(AuthSchemes.Cookie);
        return SeeOther("/");
    }

    /// <summary>Logout by form or fetch; another site cannot sign a user out (Sec-Fetch-Site / Origin must be this site).</summary>
    private static Task<IResult> LogoutPostAsync(HttpContext http, AppSignIn signIn) =>
        IsSameOrigin(http.Request)
            ? LogoutAsync(http, signIn)
            : Task.FromResult<IResult>(TypedResults.Json(new ErrorResponse("Cross-site request refused"), statusCode: StatusCodes.Status403Forbidden));

    private static Task TokenFromQueryAsync(HttpContext http, AuthModeResolver modes, LoginToken loginToken, AppSignIn signIn, string? token, string? returnUrl) =>
        TokenSignInAsync(http, modes, loginToken, signIn, token, returnUrl);

    /// <summary>The sign-in page's form (antiforgery-checked, so no other site can sign a browser in with its own token).</summary>
    private static Task TokenFromFormAsync(
        HttpContext http, AuthModeResolver modes, LoginToken loginToken, AppSignIn signIn, [FromForm] string? token, [FromForm] string? returnUrl) =>
        TokenSignInAsync(http, modes, loginToken, signIn, token, returnUrl);

    private static async Task TokenSignInAsync(HttpContext http, AuthModeResolver modes, LoginToken loginToken, AppSignIn signIn, string? token, string? returnUrl)
    {
        if (modes.Mode != AuthMode.Token)
        {
            await SignInFailurePage.WriteAsync(http, StatusCodes.Status404NotFound, "No token sign-in", "This server does not sign in with a login token.");
            return;
        }

        if (!loginToken.Matches(token))
        {
            await SignInFailurePage.WriteAsync(http, StatusCodes.Status401Unauthorized, "Wrong token",
                "That login token is not this server's. Copy the sign-in URL the server printed at start, or the token in its data folder (login-token).");
            return;
        }

        // One operator, as in Jupyter: the same single user as local mode (keys and sessions carry over), and the admin.
        var principal = await signIn.SignInAsync(AppSignIn.TokenProvider, CallerName.Anonymous, null, null, null, admin: true, http.RequestAborted);
        await http.SignInAsync(AuthSchemes.Cookie, principal);
        http.Response.StatusCode = StatusCodes.Status303SeeOther;
        http.Response.Headers.Location = LocalOr(returnUrl, "/");
    }

    private static IResult SeeOther(string location) => new SeeOtherResult(location);

    /// <summary>Only a path on this site; anything else (another host, <c>//host</c>, <c>/\host</c>) falls back.</summary>
    internal static string LocalOr(string? url, string fallback) =>
        url is { Length: > 0 } && url[0] == '/' && (url.Length == 1 || (url[1] != '/' && url[1] != '\\')) ? url : fallback;

    internal static bool IsSameOrigin(HttpRequest request)
    {
        var site = request.Headers["Sec-Fetch-Site"].ToString();
        if (site.Length > 0 && site is not ("same-origin" or "none"))
        {
            return false;
        }

        var origin = request.Headers.Origin.ToString();
        return origin.Length == 0
            || (Uri.TryCreate(origin, UriKind.Absolute, out var uri)
                && string.Equals($"{uri.Scheme}://{uri.Authority}", $"{request.Scheme}://{request.Host.Value}", StringComparison.OrdinalIgnoreCase));
    }

    private sealed class SeeOtherResult(string location) : IResult
    {
        public Task ExecuteAsync(HttpContext httpContext)
        {
            httpContext.Response.StatusCode = StatusCodes.Status303SeeOther;
            httpContext.Response.Headers.Location = location;
            return Task.CompletedTask;
        }
    }
}
