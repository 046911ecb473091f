using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.OpenIdConnect;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.Protocols.OpenIdConnect;

namespace RemoltBlazor.Web.Auth.Oidc;

/// <summary>
/// Sign-in with any OpenID Connect provider (Keycloak, Authentik, Google, Entra) on the framework's handler: the
/// authorization code flow with PKCE, the answer returned in the query (a top-level GET, so the Lax correlation and
/// nonce cookies arrive over plain http too), the id_token's signature checked against the provider's JWKS. The claim
/// named by <c>REMOLT_OIDC_LOGIN_CLAIM</c> becomes the login.
/// </summary>
internal static class OidcSignIn
{
    public const string CallbackPath = "/auth/oidc/callback";

    public static AuthenticationBuilder AddRemoltOidc(this AuthenticationBuilder auth)
    {
        auth.AddOpenIdConnect(AuthSchemes.Oidc, "OpenID Connect", _ => { });
        auth.Services.AddSingleton<OidcEvents>();
        auth.Services.AddOptions<OpenIdConnectOptions>(AuthSchemes.Oidc).Configure<IOptions<AuthOptions>>((oidc, options) =>
        {
            var settings = options.Value;
            oidc.Authority = settings.OidcAuthority;
            oidc.ClientId = settings.OidcClientId;
            oidc.ClientSecret = settings.OidcClientSecret.Length > 0 ? settings.OidcClientSecret : null;
            oidc.RequireHttpsMetadata = settings.OidcRequireHttps;
            oidc.ResponseType = OpenIdConnectResponseType.Code;
            oidc.ResponseMode = OpenIdConnectResponseMode.Query;
            oidc.UsePkce = true;
            oidc.CallbackPath = CallbackPath;
            oidc.SignInScheme = AuthSchemes.Cookie;
            oidc.SaveTokens = false;
            oidc.MapInboundClaims = false; // keep the provider's claim names, so REMOLT_OIDC_LOGIN_CLAIM means what it says
            oidc.GetClaimsFromUserInfoEndpoint = false;
            oidc.Scope.Clear();
            foreach (var scope in settings.OidcScopeList)
            {
                oidc.Scope.Add(scope);
            }

            oidc.TokenValidationParameters.NameClaimType = settings.OidcLoginClaim;
            oidc.CorrelationCookie.SameSite = SameSiteMode.Lax;
            oidc.NonceCookie.SameSite = SameSiteMode.Lax;
            oidc.CorrelationCookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
            oidc.NonceCookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
            oidc.EventsType = typeof(OidcEvents);
        });
        return auth;
    }
}
