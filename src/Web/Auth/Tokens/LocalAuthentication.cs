namespace RemoltBlazor.Web.Auth.Tokens;

/// <summary>
/// The smallest authentication setup the access tokens need: the default policy scheme forwarding access tokens to
/// <see cref="AuthSchemes.Token"/> and everything else to a plain cookie scheme. The sign-in work replaces this with
/// the full setup (providers, modes, revocable cookie) and keeps <see cref="AccessTokenAuthentication.AddAccessTokens"/>.
/// </summary>
internal static class LocalAuthentication
{
    public static IServiceCollection AddRemoltAuthentication(this IServiceCollection services)
    {
        services.AddAuthentication(AuthSchemes.Default)
            .AddPolicyScheme(AuthSchemes.Default, "Remolt", policy => policy.ForwardDefaultSelector = context =>
                AccessTokenAuthentication.BearerToken(context.Request) is null ? AuthSchemes.Cookie : AuthSchemes.Token)
            .AddCookie(AuthSchemes.Cookie, cookie => cookie.Cookie.Name = "remolt_auth")
            .AddAccessTokens();
        return services;
    }

    public static WebApplication UseRemoltAuthentication(this WebApplication app)
    {
        app.UseAuthentication();
        app.UseAccessTokenGate();
        return app;
    }
}
