using RemoltBlazor.Data.Keys;

namespace RemoltBlazor.Web.Components.Controls.Settings;

/// <summary>
/// The "Access tokens" tab without its markup: the user's tokens (never their values), creating one (whose token is
/// held only until the user dismisses it or creates another), and revoking.
/// </summary>
internal sealed class TokenSettings(AccessTokenStore tokens, string owner)
{
    public IReadOnlyList<AccessTokenRecord> Tokens { get; private set; } = [];

    public string NewName { get; set; } = "";

    /// <summary>The token just created, shown once; null otherwise.</summary>
    public CreatedAccessToken? Created { get; private set; }

    public string? Error { get; private set; }

    public async Task LoadAsync(CancellationToken cancellationToken) => Tokens = await tokens.ListAsync(owner, cancellationToken);

    public async Task CreateAsync(CancellationToken cancellationToken)
    {
        var name = NewName.Trim();
        (Error, Created) = (null, null);
        if (name.Length is 0 or > AccessTokenStore.MaxNameLength)
        {
            Error = $"Give the token a name of 1 to {AccessTokenStore.MaxNameLength} characters.";
            return;
        }

        Created = await tokens.CreateAsync(owner, name, expiresAt: null, cancellationToken);
        NewName = "";
        await LoadAsync(cancellationToken);
    }

    public void DismissCreated() => Created = null;

    public async Task RevokeAsync(string id, CancellationToken cancellationToken)
    {
        Error = null;
        if (Created?.Record.Id == id)
        {
            Created = null;
        }

        await tokens.RevokeAsync(owner, id, cancellationToken);
        await LoadAsync(cancellationToken);
    }
}
