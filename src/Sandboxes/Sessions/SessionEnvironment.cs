using RemoltBlazor.Sandboxes.Agents;

namespace RemoltBlazor.Sandboxes.Sessions;

/// <summary>
/// Splits what a session's sandbox gets into plain env (safe in the container's create env and <c>docker inspect</c>)
/// and secrets (delivered later over an exec's stdin, never on a command line). Order follows the original.
/// </summary>
internal static class SessionEnvironment
{
    private const int MaxValueLength = 8192;

    /// <param name="stored">The owner's stored credentials: they fill in only what the request did not send.</param>
    public static (Dictionary<string, string> Plain, Dictionary<string, string> Secrets) Build(
        AgentDefinition agent, CreateSessionRequest request, IReadOnlyDictionary<string, string>? stored = null)
    {
        var plain = new Dictionary<string, string>(StringComparer.Ordinal) { ["TERM"] = "xterm-256color" };
        var secrets = new Dictionary<string, string>(StringComparer.Ordinal);

        AddRepository(plain, secrets, ValidateRepoUrl(request.RepoUrl));
        AddIfPresent(plain, "GIT_USER_NAME", Clean("git_user_name", request.GitUserName));
        AddIfPresent(plain, "GIT_USER_EMAIL", Clean("git_user_email", request.GitUserEmail));
        foreach (var (key, value) in agent.EnvDefaults)
        {
            plain.TryAdd(key, value);
        }

        var schema = agent.EnvSchema.ToDictionary(e => e.Key, StringComparer.Ordinal);
        foreach (var (key, value) in request.AgentEnv ?? new Dictionary<string, string>())
        {
            if (!schema.TryGetValue(key, out var declared))
            {
                throw new SessionRequestException($"Agent '{agent.Id}' does not take the variable '{key}'");
            }

            var cleaned = Clean(key, value);
            if (cleaned is null)
            {
                continue;
            }

            // Known credential names are secrets even if an agent.json forgets to say so.
            (declared.Secret || SessionCredentials.Allowed.Contains(key) ? secrets : plain)[key] = cleaned;
        }

        foreach (var (key, value) in request.Credentials ?? new Dictionary<string, string>())
        {
            if (!SessionCredentials.Allowed.Contains(key))
            {
                throw new SessionRequestException($"Unknown credential: {key}");
            }

            if (Clean(key, value) is { } cleaned)
            {
                secrets.TryAdd(key, cleaned);
            }
        }

        // Stored keys reach only the agents that declare them (as the original's cookie keys); the GitHub token of
        // the sign-in reaches every agent. They were checked when stored, so only blanks are skipped here.
        foreach (var (key, value) in stored ?? new Dictionary<string, string>())
        {
            if ((schema.ContainsKey(key) || key == SessionCredentials.GitHubToken) && !plain.ContainsKey(key) && !string.IsNullOrWhiteSpace(value))
            {
                secrets.TryAdd(key, value.Trim());
            }
        }

        AddIfPresent(plain, "AGENT_SETUP", agent.Setup);
        AddIfPresent(plain, "AGENT_WELCOME", agent.Welcome);
        return (plain, secrets);
    }

    /// <summary>
    /// A credential in the URL (<c>https://user:token@host/...</c>) never goes into the container's env, a command
    /// line or git's config: REPO_URL keeps the URL without it, and the user name and token travel as secrets that
    /// the image's git credential helper hands to git for that host only. REMOLT_REPO_CREDENTIAL tells the
    /// entrypoint to wait for them (they arrive over stdin right after the container starts) before it clones.
    /// </summary>
    private static void AddRepository(Dictionary<string, string> plain, Dictionary<string, string> secrets, string? url)
    {
        if (url is null)
        {
            return;
        }

        if (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || uri.Scheme is not ("https" or "http") || uri.UserInfo.Length == 0)
        {
            plain["REPO_URL"] = url;
            return;
        }

        var separator = uri.UserInfo.IndexOf(':', StringComparison.Ordinal);
        var user = Uri.UnescapeDataString(separator < 0 ? uri.UserInfo : uri.UserInfo[..separator]);
        var password = separator < 0 ? "" : Uri.UnescapeDataString(uri.UserInfo[(separator + 1)..]);
        plain["REPO_URL"] = new UriBuilder(uri) { UserName = "", Password = "" }.Uri.AbsoluteUri;
        plain["REMOLT_REPO_CREDENTIAL"] = "1";
        secrets["REMOLT_REPO_HOST"] = uri.IsDefaultPort ? uri.Host : $"{uri.Host}:{uri.Port}";
        // A token alone (https://TOKEN@host) is GitHub's and GitLab's habit: git wants it as the password.
        (secrets["REMOLT_REPO_USERNAME"], secrets["REMOLT_REPO_PASSWORD"]) = password.Length == 0 ? ("x-access-token", user) : (user, password);
    }

    private static void AddIfPresent(Dictionary<string, string> env, string key, string? value)
    {
        if (!string.IsNullOrEmpty(value))
        {
            env[key] = value;
        }
    }

    private static string? Clean(string field, string? value)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            return null;
        }

        if (value.Length > MaxValueLength || value.Contains('\0', StringComparison.Ordinal))
        {
            throw new SessionRequestException($"Field '{field}' is too long or contains a NUL character");
        }

        return value.Trim();
    }

    private static string? ValidateRepoUrl(string? url)
    {
        var cleaned = Clean("repo_url", url);
        if (cleaned is null)
        {
            return null;
        }

        var ok = Uri.TryCreate(cleaned, UriKind.Absolute, out var uri) && uri.Scheme is "https" or "http" or "ssh" or "git";
        return ok || cleaned.StartsWith("git@", StringComparison.Ordinal)
            ? cleaned
            : throw new SessionRequestException($"repo_url must be an https, ssh or git URL, got '{RedactCredential(cleaned)}'");
    }

    /// <summary>An error message may quote the URL, never a credential in it.</summary>
    private static string RedactCredential(string url) =>
        System.Text.RegularExpressions.Regex.Replace(url, "://[^/@\\s]+@", "://***@");
}
