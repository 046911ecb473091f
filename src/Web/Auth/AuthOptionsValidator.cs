using Microsoft.Extensions.Options;

namespace RemoltBlazor.Web.Auth;

/// <summary>Checks every sign-in setting and reports all problems at once, so a bad deployment is fixed in one go.</summary>
internal sealed class AuthOptionsValidator : IValidateOptions<AuthOptions>
{
    public ValidateOptionsResult Validate(string? name, AuthOptions options)
    {
        var errors = new List<string>();
        AuthMode? mode = null;
        try
        {
            mode = options.ExplicitMode;
        }
        catch (InvalidOperationException ex)
        {
            errors.Add(ex.Message);
        }

        if (mode == AuthMode.GitHub && !options.GitHubConfigured)
        {
            errors.Add("REMOLT_AUTH is github but GITHUB_CLIENT_ID is empty.");
        }

        if (options.GitHubConfigured && options.GitHubClientSecret.Length == 0)
        {
            errors.Add("GITHUB_CLIENT_ID is set but GITHUB_CLIENT_SECRET is empty.");
        }

        foreach (var (key, value) in new[]
        {
            ("REMOLT_GITHUB_AUTHORIZE_URL", options.GitHubAuthorizeUrl),
            ("REMOLT_GITHUB_TOKEN_URL", options.GitHubTokenUrl),
            ("REMOLT_GITHUB_API_URL", options.GitHubApiUrl),
        })
        {
            if (!IsHttpUrl(value))
            {
                errors.Add($"{key} '{value}' is not an absolute http(s) URL.");
            }
        }

        if (mode == AuthMode.Oidc && !options.OidcConfigured)
        {
            errors.Add("REMOLT_AUTH is oidc but REMOLT_OIDC_AUTHORITY is empty.");
        }

        if (options.OidcConfigured)
        {
            if (!IsHttpUrl(options.OidcAuthority))
            {
                errors.Add($"REMOLT_OIDC_AUTHORITY '{options.OidcAuthority}' is not an absolute http(s) URL.");
            }

            if (options.OidcClientId.Length == 0)
            {
                errors.Add("REMOLT_OIDC_AUTHORITY is set but REMOLT_OIDC_CLIENT_ID is empty.");
            }

            if (options.OidcLoginClaim.Trim().Length == 0)
            {
                errors.Add("REMOLT_OIDC_LOGIN_CLAIM is empty; name the id_token claim that is the login (e.g. preferred_username, email, sub).");
            }

            if (!options.OidcScopeList.Contains("openid"))
            {
                errors.Add($"REMOLT_OIDC_SCOPES '{options.OidcScopes}' lacks openid.");
            }
        }

        if (mode is null && options.GitHubConfigured && options.OidcConfigured)
        {
            errors.Add("Both GitHub (GITHUB_CLIENT_ID) and OIDC (REMOLT_OIDC_AUTHORITY) are configured; choose one with REMOLT_AUTH.");
        }

        if (options.AllowedOrgList.Count > 0 && mode != AuthMode.GitHub && !(mode is null && options.GitHubConfigured))
        {
            errors.Add("REMOLT_ALLOWED_ORGS is set, but organisations are GitHub's: it needs GitHub sign-in.");
        }

        if (options.SignInLifetime <= TimeSpan.Zero)
        {
            errors.Add($"REMOLT_SIGNIN_LIFETIME is {options.SignInLifetime}; it must be positive.");
        }

        if (options.SignInRecheck <= TimeSpan.Zero)
        {
            errors.Add($"REMOLT_SIGNIN_RECHECK is {options.SignInRecheck}; it must be positive.");
        }

        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }

    private static bool IsHttpUrl(string value) =>
        Uri.TryCreate(value, UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttps || uri.Scheme == Uri.UriSchemeHttp);
}
