using System.Security.Claims;
using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.AspNetCore.Components.Server;
using Microsoft.Extensions.Options;
using RemoltBlazor.Data.Users;

namespace RemoltBlazor.Web.Auth;

/// <summary>
/// A circuit outlives the request that opened it, so the cookie check alone would let a signed-out or disabled user
/// keep an open tab. This re-checks the circuit's sign-in every <c>REMOLT_SIGNIN_RECHECK</c>; once it fails the
/// circuit's user becomes anonymous, and the router sends the page to the sign-in page.
/// </summary>
internal sealed class SignInRevalidator(ILoggerFactory loggerFactory, IServiceScopeFactory scopes, IOptions<AuthOptions> options)
    : RevalidatingServerAuthenticationStateProvider(loggerFactory)
{
    protected override TimeSpan RevalidationInterval => options.Value.SignInRecheck;

    protected override async Task<bool> ValidateAuthenticationStateAsync(AuthenticationState authenticationState, CancellationToken cancellationToken)
    {
        var user = authenticationState.User;
        if (user.FindFirst(RemoltClaims.Provider)?.Value == "none")
        {
            return true; // auth off: nothing to revoke
        }

        if (user.FindFirst(RemoltClaims.SignInId)?.Value is not { Length: > 0 } sid)
        {
            // Signed in some other way (a personal access token): its own handler checked it when the circuit opened.
            return user.Identity?.IsAuthenticated == true;
        }

        await using var scope = scopes.CreateAsyncScope();
        var signIns = scope.ServiceProvider.GetRequiredService<SignInSessionStore>();
        var check = await signIns.CheckAsync(sid, options.Value.SignInLifetime, cancellationToken);
        return check.Valid && check.Login == user.FindFirstValue(ClaimTypes.Name);
    }
}
