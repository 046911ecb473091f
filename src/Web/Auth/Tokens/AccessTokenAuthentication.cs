using Microsoft.AspNetCore.Authentication;
using RemoltBlazor.Data.Keys;

namespace RemoltBlazor.Web.Auth.Tokens;

/// <summary>Registers the personal-access-token scheme and refuses requests whose token does not authenticate.</summary>
internal static class AccessTokenAuthentication
{
    private const string BearerPrefix = "Bearer ";

    /// <summary>Adds <see cref="AuthSchemes.Token"/> (the handler for <c>Authorization: Bearer rmt_...</c>).</summary>
    public static AuthenticationBuilder AddAccessTokens(this AuthenticationBuilder builder) =>
        builder.AddScheme<AuthenticationSchemeOptions, AccessTokenHandler>(AuthSchemes.Token, displayName: "Personal access token", _ => { });

    /// <summary>
    /// The access token a request carries, or null. Only <c>Bearer rmt_...</c> counts: other bearer tokens belong to
    /// the apps behind the proxies (a dashboard's own API) and must reach them untouched, with the cookie still read.
    /// The default policy scheme forwards to <see cref="AuthSchemes.Token"/> exactly when this is not null.
    /// </summary>
    public static string? BearerToken(HttpRequest request)
    {
        var header = request.Headers.Authorization.ToString();
        return header.StartsWith(BearerPrefix + AccessTokenStore.TokenPrefix, StringComparison.Ordinal) ? header[BearerPrefix.Length..].Trim() : null;
    }

    /// <summary>
    /// A request that presents an access token which does not authenticate gets 401 at once. Without this, an
    /// endpoint that allows anonymous callers (everything in <c>none</c> mode) would run it as <c>anonymous</c>.
    /// Goes right after <c>UseAuthentication</c>.
    /// </summary>
    public static IApplicationBuilder UseAccessTokenGate(this IApplicationBuilder app) =>
        app.Use(async (context, next) =>
        {
            if (BearerToken(context.Request) is not null && context.User.Identity?.AuthenticationType != AuthSchemes.Token)
            {
                await context.ChallengeAsync(AuthSchemes.Token);
                return;
            }

            await next(context);
        });
}
