namespace RemoltBlazor.Data.Keys;

/// <summary>
/// One API key a user stored (for example <c>ANTHROPIC_API_KEY</c>), sealed with <see cref="Secrets.SecretProtector"/>
/// under the purpose <see cref="ApiKeyStore.PurposeOf"/>. The key id is its own column so a rotation finds the rows
/// still sealed under an old master key without opening any.
/// </summary>
public sealed class StoredKeyRecord
{
    public required string Owner { get; set; }

    public required string Name { get; set; }

    public required string KeyId { get; set; }

    public required byte[] Sealed { get; set; }

    public DateTimeOffset UpdatedAt { get; set; }
}
