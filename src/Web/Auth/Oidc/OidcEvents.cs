using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.OpenIdConnect;
using Microsoft.Extensions.Options;

namespace RemoltBlazor.Web.Auth.Oidc;

/// <summary>
/// After the provider's id_token validated: its login claim (<c>REMOLT_OIDC_LOGIN_CLAIM</c>) must be there and pass
/// <c>REMOLT_ALLOWED_USERS</c>; then <see cref="AppSignIn"/> replaces the provider's principal with the app's own.
/// </summary>
internal sealed class OidcEvents(IOptions<AuthOptions> options) : OpenIdConnectEvents
{
    public override async Task TokenValidated(TokenValidatedContext context)
    {
        var settings = options.Value;
        var principal = context.Principal;
        var login = principal?.FindFirst(settings.OidcLoginClaim)?.Value;
        if (string.IsNullOrWhiteSpace(login))
        {
            throw new SignInRefusedException($"{settings.OidcDisplayName} did not say who you are (its id_token has no '{settings.OidcLoginClaim}' claim).");
        }

        var signIn = context.HttpContext.RequestServices.GetRequiredService<AppSignIn>();
        if (!signIn.IsAllowed(login, inAllowedOrg: false))
        {
            throw new SignInRefusedException($"The account '{login}' is not allowed to sign in to this server.");
        }

        var name = principal!.FindFirst("name")?.Value;
        var email = principal.FindFirst("email")?.Value;
        context.Principal = await signIn.SignInAsync("oidc", login, name, email, gitHubToken: null, admin: false, context.HttpContext.RequestAborted);
    }

    public override Task AccessDenied(AccessDeniedContext context) => SignInFailurePage.HandleAsync(context, options.Value.OidcDisplayName);

    public override Task RemoteFailure(RemoteFailureContext context) => SignInFailurePage.HandleAsync(context, options.Value.OidcDisplayName);
}
