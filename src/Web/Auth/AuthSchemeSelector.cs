using RemoltBlazor.Web.Auth.Tokens;

namespace RemoltBlazor.Web.Auth;

/// <summary>
/// Where the default policy scheme forwards a request: a personal access token (<c>Authorization: Bearer rmt_...</c>)
/// -> <see cref="AuthSchemes.Token"/> in every mode, so scripts act as their token's owner even with sign-in off;
/// otherwise auth off -> <see cref="AuthSchemes.None"/>, and anything else -> the sign-in cookie.
/// </summary>
internal sealed class AuthSchemeSelector(AuthModeResolver modes)
{
    public string Select(HttpContext http)
    {
        if (AccessTokenAuthentication.BearerToken(http.Request) is not null)
        {
            return AuthSchemes.Token;
        }

        return modes.Mode == AuthMode.None ? AuthSchemes.None : AuthSchemes.Cookie;
    }
}
