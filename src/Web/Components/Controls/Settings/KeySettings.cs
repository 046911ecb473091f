using RemoltBlazor.Data.Keys;
using RemoltBlazor.Sandboxes.Sessions;

namespace RemoltBlazor.Web.Components.Controls.Settings;

/// <summary>
/// The "API keys" tab without its markup: every name the user may store, whether it is configured, and a draft per
/// name that is written and then cleared. No stored value is ever read back here: only names are loaded.
/// </summary>
internal sealed class KeySettings(ApiKeyStore keys, StoredKeyNames names, string owner)
{
    private readonly Dictionary<string, string> _drafts = new(StringComparer.Ordinal);
    private HashSet<string> _configured = new(StringComparer.Ordinal);

    public IReadOnlyList<KeyRow> Rows =>
        [.. names.All.Select(n => new KeyRow(n, names.Labels.GetValueOrDefault(n, n), _configured.Contains(n)))];

    /// <summary>The last save's or removal's problem, or null.</summary>
    public string? Error { get; private set; }

    /// <summary>The last change that worked, e.g. "OPENAI_API_KEY saved".</summary>
    public string? Notice { get; private set; }

    public async Task LoadAsync(CancellationToken cancellationToken) =>
        _configured = new HashSet<string>(await keys.NamesAsync(owner, cancellationToken), StringComparer.Ordinal);

    public string Draft(string name) => _drafts.GetValueOrDefault(name, "");

    public void SetDraft(string name, string? value) => _drafts[name] = value ?? "";

    public bool CanSave(string name) => !string.IsNullOrWhiteSpace(Draft(name));

    /// <summary>Stores the draft as the key's value (adding or replacing it) and clears the draft either way it ends.</summary>
    public async Task SaveAsync(string name, CancellationToken cancellationToken)
    {
        var value = Draft(name).Trim();
        _drafts.Remove(name);
        (Error, Notice) = (null, null);
        if (!names.IsAllowed(name) || value.Length == 0)
        {
            return;
        }

        if (ApiKeyStore.Refusal(name, value) is { } refusal)
        {
            Error = refusal;
            return;
        }

        await keys.ApplyAsync(owner, new Dictionary<string, string?> { [name] = value }, cancellationToken);
        Notice = $"{name} saved";
        await LoadAsync(cancellationToken);
    }

    public async Task RemoveAsync(string name, CancellationToken cancellationToken)
    {
        _drafts.Remove(name);
        (Error, Notice) = (null, null);
        await keys.DeleteAsync(owner, name, cancellationToken);
        Notice = $"{name} removed";
        await LoadAsync(cancellationToken);
    }
}

/// <summary>One line of the keys tab: the variable, its label, whether a value is stored.</summary>
internal sealed record KeyRow(string Name, string Label, bool Configured);
