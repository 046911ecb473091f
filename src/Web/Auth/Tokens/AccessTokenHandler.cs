using System.Security.Claims;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;
using RemoltBlazor.Data.Keys;
using RemoltBlazor.Web.Endpoints;

namespace RemoltBlazor.Web.Auth.Tokens;

/// <summary>
/// Authenticates <c>Authorization: Bearer rmt_...</c> against the stored token hashes. The principal's name is the
/// token owner's login, so every ownership check treats a script exactly like its owner's browser. A failure says
/// only that the token is not valid: never whether it was unknown, revoked or expired, and never echoes it. The token
/// carries its owner's admin role exactly when a browser sign-in of that owner would (<see cref="IsAdmin"/>).
/// </summary>
internal sealed class AccessTokenHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> options,
    ILoggerFactory logger,
    UrlEncoder encoder,
    AccessTokenStore tokens,
    IOptions<AuthOptions> auth,
    AuthModeResolver modes) : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    /// <summary>The claim naming which token authenticated the request (its id, not the token).</summary>
    public const string TokenIdClaim = "remolt:token_id";

    public const string InvalidTokenDetail = "Invalid or expired access token";

    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        if (AccessTokenAuthentication.BearerToken(Request) is not { } token)
        {
            return AuthenticateResult.NoResult();
        }

        var record = await tokens.AuthenticateAsync(token, Context.RequestAborted);
        if (record is null)
        {
            return AuthenticateResult.Fail(InvalidTokenDetail);
        }

        List<Claim> claims = [new Claim(ClaimTypes.Name, record.Owner), new Claim(TokenIdClaim, record.Id)];
        if (IsAdmin(record.Owner))
        {
            claims.Add(new Claim(ClaimTypes.Role, AuthSchemes.AdminRole));
        }

        var identity = new ClaimsIdentity(claims, Scheme.Name, ClaimTypes.Name, ClaimTypes.Role);
        return AuthenticateResult.Success(new AuthenticationTicket(new ClaimsPrincipal(identity), Scheme.Name));
    }

    /// <summary>
    /// <c>REMOLT_ADMINS</c> lists the owner, or the owner is the local user in the modes where that user is the admin
    /// (sign-in off, and the login-token mode, whose sign-in is the local user's).
    /// </summary>
    private bool IsAdmin(string owner) =>
        auth.Value.AdminList.Contains(owner, StringComparer.OrdinalIgnoreCase)
        || (owner == Hosting.CallerName.Anonymous && modes.Mode is AuthMode.None or AuthMode.Token);

    protected override async Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        Response.StatusCode = StatusCodes.Status401Unauthorized;
        Response.Headers.WWWAuthenticate = "Bearer error=\"invalid_token\"";
        await Response.WriteAsJsonAsync(new ErrorResponse(InvalidTokenDetail), Context.RequestAborted);
    }
}
