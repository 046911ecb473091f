using System.Security.Claims;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;
using RemoltBlazor.Web.Hosting;

namespace RemoltBlazor.Web.Auth;

/// <summary>
/// Auth off (<c>none</c>): every request is the original's single local user <c>anonymous</c>, who is the admin.
/// Being a real authenticated principal, every check (authorization, ownership) runs the same code as in the other modes.
/// </summary>
internal sealed class NoAuthHandler(IOptionsMonitor<AuthenticationSchemeOptions> options, ILoggerFactory logger, UrlEncoder encoder)
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    private static readonly ClaimsPrincipal Anonymous = new(new ClaimsIdentity(
        [new Claim(ClaimTypes.Name, CallerName.Anonymous), new Claim(ClaimTypes.Role, AuthSchemes.AdminRole), new Claim(RemoltClaims.Provider, "none")],
        AuthSchemes.None, ClaimTypes.Name, ClaimTypes.Role));

    protected override Task<AuthenticateResult> HandleAuthenticateAsync() =>
        Task.FromResult(AuthenticateResult.Success(new AuthenticationTicket(Anonymous, AuthSchemes.None)));
}
