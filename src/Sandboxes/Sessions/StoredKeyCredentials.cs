using RemoltBlazor.Data.Keys;

namespace RemoltBlazor.Sandboxes.Sessions;

/// <summary>The owner's stored API keys (<see cref="ApiKeyStore"/>) as credentials for their sessions.</summary>
internal sealed class StoredKeyCredentials(ApiKeyStore keys) : IOwnerCredentials
{
    public Task<IReadOnlyDictionary<string, string>> ReadAsync(string owner, CancellationToken cancellationToken) =>
        keys.ReadAsync(owner, cancellationToken);
}
