using RemoltBlazor.Data.Users;

namespace RemoltBlazor.Sandboxes.Sessions;

/// <summary>The GitHub token of the owner's GitHub sign-in (sealed in the users table) as their sessions' <c>GITHUB_TOKEN</c>.</summary>
internal sealed class GitHubTokenCredentials(UserStore users) : IOwnerCredentials
{
    public async Task<IReadOnlyDictionary<string, string>> ReadAsync(string owner, CancellationToken cancellationToken) =>
        await users.GetGitHubTokenAsync(owner, cancellationToken) is { Length: > 0 } token
            ? new Dictionary<string, string> { [SessionCredentials.GitHubToken] = token }
            : new Dictionary<string, string>();
}
