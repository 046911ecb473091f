using Microsoft.Extensions.DependencyInjection;
using RemoltBlazor.Data.Keys;
using RemoltBlazor.Sandboxes.Sessions;
using RemoltBlazor.Web.Components.Controls.Settings;
using RemoltBlazor.Web.Tests.Components;

namespace RemoltBlazor.Web.Tests.Keys;

/// <summary>The settings dialog's key logic as a plain class, on the app's real store.</summary>
public sealed class KeySettingsTests
{
    [Fact]
    public async Task Save_OversizedOrBlankDraft_StoresNothing_AndTheDraftIsClearedEitherWay()
    {
        await using var ctx = await ComponentTestContext.CreateAsync();
        var store = ctx.Services.GetRequiredService<ApiKeyStore>();
        var keys = new KeySettings(store, ctx.Services.GetRequiredService<StoredKeyNames>(), "alice");
        await keys.LoadAsync(CancellationToken.None);

        keys.SetDraft("GEMINI_API_KEY", "   ");
        keys.CanSave("GEMINI_API_KEY").ShouldBeFalse();
        keys.SetDraft("GEMINI_API_KEY", new string('g', ApiKeyStore.MaxValueLength + 1));
        keys.CanSave("GEMINI_API_KEY").ShouldBeTrue();
        await keys.SaveAsync("GEMINI_API_KEY", CancellationToken.None);

        keys.Error.ShouldBe("The value of GEMINI_API_KEY is longer than 64 KiB");
        keys.Draft("GEMINI_API_KEY").ShouldBe("");
        (await store.NamesAsync("alice", CancellationToken.None)).ShouldBeEmpty();
        keys.Rows.Single(r => r.Name == "GEMINI_API_KEY").ShouldBe(new KeyRow("GEMINI_API_KEY", "Gemini API Key", Configured: false));

        keys.SetDraft("GEMINI_API_KEY", "g-1");
        await keys.SaveAsync("GEMINI_API_KEY", CancellationToken.None);
        (keys.Error, keys.Notice).ShouldBe((null, "GEMINI_API_KEY saved"));
        keys.Rows.Single(r => r.Name == "GEMINI_API_KEY").Configured.ShouldBeTrue();
        (await store.NamesAsync("anonymous", CancellationToken.None)).ShouldBeEmpty();
    }
}
