namespace RemoltBlazor.Web.Auth;

/// <summary>
/// The names of the API keys a user has stored (<c>stored_keys</c> in <c>/auth/me</c>). The per-user key store
/// registers its own implementation; until then nobody has any.
/// </summary>
public interface IStoredKeyNames
{
    Task<IReadOnlyList<string>> ListAsync(string login, CancellationToken cancellationToken);
}

/// <summary>No stored keys (the default before a key store is registered).</summary>
internal sealed class NoStoredKeyNames : IStoredKeyNames
{
    public Task<IReadOnlyList<string>> ListAsync(string login, CancellationToken cancellationToken) => Task.FromResult<IReadOnlyList<string>>([]);
}
