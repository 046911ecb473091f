namespace RemoltBlazor.Sandboxes.Sessions;

/// <summary>
/// Credentials a user keeps on the server that their new sessions receive as secrets (over stdin into
/// <c>~/.remolt/env</c>, like every secret). Several sources may exist: the stored API keys, and the GitHub token of
/// the sign-in, which arrives as <see cref="SessionCredentials.GitHubToken"/>.
/// </summary>
public interface IOwnerCredentials
{
    Task<IReadOnlyDictionary<string, string>> ReadAsync(string owner, CancellationToken cancellationToken);
}

internal static class OwnerCredentialSources
{
    /// <summary>Every source's credentials for the owner; the first source to name a variable wins.</summary>
    public static async Task<Dictionary<string, string>> ReadAllAsync(
        this IEnumerable<IOwnerCredentials> sources, string owner, CancellationToken cancellationToken)
    {
        var merged = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var source in sources)
        {
            foreach (var (key, value) in await source.ReadAsync(owner, cancellationToken))
            {
                merged.TryAdd(key, value);
            }
        }

        return merged;
    }
}
