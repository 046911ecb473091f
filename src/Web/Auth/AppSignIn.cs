using System.Security.Claims;
using Microsoft.Extensions.Options;
using RemoltBlazor.Data.Events;
using RemoltBlazor.Data.Users;

namespace RemoltBlazor.Web.Auth;

/// <summary>
/// The one way every provider (GitHub, OIDC, the login token) turns a vouched-for login into the cookie's principal:
/// checks the allow-lists, records the user, starts a server-side sign-in and emits <c>auth.login</c>. The principal
/// carries the login as <c>ClaimTypes.Name</c>, the admin role for <c>REMOLT_ADMINS</c>, and the sign-in id.
/// </summary>
internal sealed class AppSignIn(IOptions<AuthOptions> options, UserStore users, SignInSessionStore signIns, EventLog events)
{
    /// <summary>The provider name of a sign-in with the login token (token mode), which signs in the local user.</summary>
    public const string TokenProvider = "token";

    /// <summary>
    /// Whether the allow-lists let <paramref name="login"/> in: no lists, or the login is listed, or
    /// <paramref name="inAllowedOrg"/> (the caller checked GitHub membership).
    /// </summary>
    public bool IsAllowed(string login, bool inAllowedOrg)
    {
        var auth = options.Value;
        if (auth.AllowedUserList.Count == 0 && auth.AllowedOrgList.Count == 0)
        {
            return true;
        }

        return inAllowedOrg || auth.AllowedUserList.Contains(login, StringComparer.OrdinalIgnoreCase);
    }

    /// <summary>
    /// Signs <paramref name="login"/> in; throws <see cref="SignInRefusedException"/> when the user is disabled.
    /// <paramref name="gitHubToken"/> is stored sealed and never put in the principal (so never in the cookie).
    /// </summary>
    public async Task<ClaimsPrincipal> SignInAsync(
        string provider, string login, string? name, string? email, string? gitHubToken, bool admin, CancellationToken cancellationToken)
    {
        // The local user's name is an owner in the same database (sessions, keys from local or token mode): a provider's
        // account called "anonymous" must not inherit them.
        if (provider is not TokenProvider && string.Equals(login, Hosting.CallerName.Anonymous, StringComparison.OrdinalIgnoreCase))
        {
            throw new SignInRefusedException($"The login '{login}' is reserved for this server's local user; sign in with another account.");
        }

        var user = await users.RecordSignInAsync(provider, login, name, email, gitHubToken, cancellationToken);
        if (user.Disabled)
        {
            throw new SignInRefusedException($"The account '{login}' is disabled on this server.");
        }

        var sid = await signIns.CreateAsync(user.Id, options.Value.SignInLifetime, cancellationToken);
        var claims = new List<Claim>
        {
            new(ClaimTypes.Name, login),
            new(RemoltClaims.SignInId, sid),
            new(RemoltClaims.Provider, provider),
            new(RemoltClaims.DisplayName, name ?? ""),
            new(RemoltClaims.Email, email ?? ""),
        };
        if (admin || options.Value.AdminList.Contains(login, StringComparer.OrdinalIgnoreCase))
        {
            claims.Add(new Claim(ClaimTypes.Role, AuthSchemes.AdminRole));
        }

        await events.EmitAsync("auth.login", new KeyValuePair<string, object?>("login", login), new KeyValuePair<string, object?>("provider", provider));
        return new ClaimsPrincipal(new ClaimsIdentity(claims, AuthSchemes.Cookie, ClaimTypes.Name, ClaimTypes.Role));
    }

    /// <summary>Ends the sign-in <paramref name="user"/> stands for (logout) and emits <c>auth.logout</c>.</summary>
    public async Task SignOutAsync(ClaimsPrincipal user, CancellationToken cancellationToken)
    {
        if (user.FindFirst(RemoltClaims.SignInId)?.Value is { Length: > 0 } sid && await signIns.RevokeAsync(sid, cancellationToken))
        {
            await events.EmitAsync("auth.logout", new KeyValuePair<string, object?>("login", user.Identity?.Name));
        }
    }
}
