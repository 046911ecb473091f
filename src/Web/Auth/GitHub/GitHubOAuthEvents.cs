using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.OAuth;
using Microsoft.Extensions.Options;

namespace RemoltBlazor.Web.Auth.GitHub;

/// <summary>
/// After GitHub gave a token: read the profile (and the primary verified email when the profile shows none), apply
/// <c>REMOLT_ALLOWED_USERS</c>/<c>REMOLT_ALLOWED_ORGS</c>, and sign in through <see cref="AppSignIn"/>, which seals the
/// token in the users table. Any failure becomes a readable page and leaves no user row behind.
/// </summary>
internal sealed class GitHubOAuthEvents(IOptions<AuthOptions> options, AppSignIn signIn) : OAuthEvents
{
    public override async Task CreatingTicket(OAuthCreatingTicketContext context)
    {
        var token = context.AccessToken ?? throw new GitHubApiException("GitHub token exchange failed (no access token)");
        var cancellationToken = context.HttpContext.RequestAborted;
        var api = new GitHubApi(context.Backchannel, options.Value.GitHubApiUrl, token);
        var profile = await api.GetUserAsync(cancellationToken);
        var email = string.IsNullOrEmpty(profile.Email) ? await api.GetPrimaryEmailAsync(cancellationToken) : profile.Email;

        if (!signIn.IsAllowed(profile.Login, inAllowedOrg: false) && !await InAllowedOrgAsync(api, profile.Login, cancellationToken))
        {
            throw new SignInRefusedException($"The GitHub account '{profile.Login}' is not allowed to sign in to this server.");
        }

        context.Principal = await signIn.SignInAsync("github", profile.Login, profile.Name, email, token, admin: false, cancellationToken);
    }

    public override Task AccessDenied(AccessDeniedContext context) => SignInFailurePage.HandleAsync(context, "GitHub");

    public override Task RemoteFailure(RemoteFailureContext context) => SignInFailurePage.HandleAsync(context, "GitHub");

    private async Task<bool> InAllowedOrgAsync(GitHubApi api, string login, CancellationToken cancellationToken)
    {
        foreach (var org in options.Value.AllowedOrgList)
        {
            if (await api.IsOrgMemberAsync(org, login, cancellationToken))
            {
                return true;
            }
        }

        return false;
    }
}
