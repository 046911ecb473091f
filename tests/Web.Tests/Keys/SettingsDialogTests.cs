using Bunit;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor;
using RemoltBlazor.Data.Keys;
using RemoltBlazor.Web.Components.Controls.Settings;
using RemoltBlazor.Web.Tests.Components;

namespace RemoltBlazor.Web.Tests.Keys;

/// <summary>The settings dialog in bunit, on the app's real stores (SQLite in a temp folder), as the anonymous user.</summary>
public sealed class SettingsDialogTests
{
    private const string Value = "sk-openai-dialog-3c8e51a7f2";

    [Fact]
    public async Task Keys_AddReplaceRemove_ShowConfiguredAndNeverShowTheValue()
    {
        await using var ctx = await ComponentTestContext.CreateAsync();
        var dialogs = await OpenAsync(ctx);
        var store = ctx.Services.GetRequiredService<ApiKeyStore>();

        Row(dialogs, "OPENAI_API_KEY").GetAttribute("data-configured").ShouldBe("false");
        Row(dialogs, "OPENAI_API_KEY").TextContent.ShouldContain("not set");
        dialogs.Find("#key-OPENAI_API_KEY").GetAttribute("type").ShouldBe("password");

        dialogs.Find("#key-OPENAI_API_KEY").Input(Value);
        await Row(dialogs, "OPENAI_API_KEY").QuerySelector("button[data-action=save]")!.ClickAsync(new());

        dialogs.WaitForAssertion(() => Row(dialogs, "OPENAI_API_KEY").GetAttribute("data-configured").ShouldBe("true"), ComponentTestContext.Timeout);
        Row(dialogs, "OPENAI_API_KEY").TextContent.ShouldContain("configured");
        dialogs.Find("#key-OPENAI_API_KEY").GetAttribute("value").ShouldBeNullOrEmpty();
        dialogs.Markup.ShouldNotContain(Value);
        (await store.ReadAsync("anonymous", CancellationToken.None))["OPENAI_API_KEY"].ShouldBe(Value);

        dialogs.Find("#key-OPENAI_API_KEY").Input("replaced");
        await Row(dialogs, "OPENAI_API_KEY").QuerySelector("button[data-action=save]")!.ClickAsync(new());
        dialogs.WaitForAssertion(() => dialogs.Markup.ShouldContain("OPENAI_API_KEY saved"), ComponentTestContext.Timeout);
        (await store.ReadAsync("anonymous", CancellationToken.None))["OPENAI_API_KEY"].ShouldBe("replaced");
        dialogs.Markup.ShouldNotContain("replaced\"");

        await Row(dialogs, "OPENAI_API_KEY").QuerySelector("button[data-action=remove]")!.ClickAsync(new());
        dialogs.WaitForAssertion(() => Row(dialogs, "OPENAI_API_KEY").GetAttribute("data-configured").ShouldBe("false"), ComponentTestContext.Timeout);
        (await store.NamesAsync("anonymous", CancellationToken.None)).ShouldBeEmpty();
    }

    [Fact]
    public async Task Tokens_CreateShowsTheTokenOnce_ListsIt_AndRevokes()
    {
        await using var ctx = await ComponentTestContext.CreateAsync();
        var dialogs = await OpenAsync(ctx);
        var tokens = ctx.Services.GetRequiredService<AccessTokenStore>();
        await dialogs.FindAll(".mud-tab").First(t => t.TextContent.Contains("Access tokens", StringComparison.Ordinal)).ClickAsync(new());

        dialogs.WaitForAssertion(() => dialogs.Find("#token-name"), ComponentTestContext.Timeout);
        dialogs.Find("#token-name").Input("my laptop");
        await dialogs.Find("#create-token").ClickAsync(new());

        dialogs.WaitForAssertion(() => dialogs.Find("[data-testid=new-token]"), ComponentTestContext.Timeout);
        var shown = dialogs.Find(".new-token-value").TextContent.Trim();
        shown.ShouldStartWith("rmt_");
        var listed = (await tokens.ListAsync("anonymous", CancellationToken.None)).ShouldHaveSingleItem();
        (await tokens.AuthenticateAsync(shown, CancellationToken.None))!.Id.ShouldBe(listed.Id);
        var row = dialogs.Find($"[data-token='{listed.Id}']");
        row.TextContent.ShouldContain("my laptop");
        row.TextContent.ShouldContain(listed.Prefix);

        // Copied through the terminals' clipboard module (the Clipboard API, or its fallback on plain http).
        var clipboard = ctx.JSInterop.SetupModule("./js/terminal-clipboard.js");
        await dialogs.Find("[data-testid=new-token] button[aria-label='Copy token']").ClickAsync(new());
        dialogs.WaitForAssertion(() => clipboard.VerifyInvoke("copyText").Arguments.ShouldBe([shown]), ComponentTestContext.Timeout);

        // Closing the notice forgets the token: it is nowhere on the page any more.
        await dialogs.FindAll("[data-testid=new-token] button")[^1].ClickAsync(new());
        dialogs.WaitForAssertion(() => dialogs.Markup.ShouldNotContain(shown), ComponentTestContext.Timeout);

        await dialogs.Find($"[data-token='{listed.Id}'] button[data-action=revoke]").ClickAsync(new());
        dialogs.WaitForAssertion(() => dialogs.Markup.ShouldContain("No access tokens."), ComponentTestContext.Timeout);
        (await tokens.AuthenticateAsync(shown, CancellationToken.None)).ShouldBeNull();
    }

    private static async Task<IRenderedComponent<MudDialogProvider>> OpenAsync(ComponentTestContext ctx)
    {
        var provider = ctx.Render<MudDialogProvider>();
        var service = ctx.Services.GetRequiredService<IDialogService>();
        _ = provider.InvokeAsync(() => SettingsDialog.ShowAsync(service));
        provider.WaitForAssertion(() => provider.Find("[data-key=OPENAI_API_KEY]"), ComponentTestContext.Timeout);
        await Task.CompletedTask;
        return provider;
    }

    private static AngleSharp.Dom.IElement Row(IRenderedComponent<MudDialogProvider> dialogs, string name) => dialogs.Find($"[data-key={name}]");
}
