using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;

namespace RemoltBlazor.Web.Auth;

/// <summary>
/// Where the default policy scheme forwards a request: auth off -> <see cref="AuthSchemes.None"/>;
/// <c>Authorization: Bearer</c> -> <see cref="AuthSchemes.Token"/> (personal access tokens, when that scheme is
/// registered); anything else -> the sign-in cookie.
/// </summary>
internal sealed class AuthSchemeSelector(AuthModeResolver modes, IOptions<AuthenticationOptions> authentication)
{
    private readonly Lazy<bool> _hasTokenScheme = new(() => authentication.Value.Schemes.Any(s => s.Name == AuthSchemes.Token));

    public string Select(HttpContext http)
    {
        if (modes.Mode == AuthMode.None)
        {
            return AuthSchemes.None;
        }

        var authorization = http.Request.Headers.Authorization.ToString();
        return _hasTokenScheme.Value && authorization.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase)
            ? AuthSchemes.Token
            : AuthSchemes.Cookie;
    }
}
