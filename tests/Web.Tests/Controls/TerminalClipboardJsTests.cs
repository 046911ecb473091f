namespace RemoltBlazor.Web.Tests.Controls;

/// <summary>wwwroot/js/terminal-clipboard.js and terminal-prefs.js in Chromium: which way copy and paste go, and the stored preferences.</summary>
public sealed class TerminalClipboardJsTests(TerminalJsFixture fixture) : IClassFixture<TerminalJsFixture>
{
    [Proxy.ChromiumTheory]
    [InlineData(true, true, true, "api", "api")]
    [InlineData(false, true, true, "fallback", "dialog")] // plain http under a name: the API may exist but is not allowed
    [InlineData(true, false, false, "fallback", "dialog")] // an old browser, or a policy that removed it
    [InlineData(false, false, false, "fallback", "dialog")]
    public async Task Methods_SecureContextAndApi_DecideTheWay(bool secure, bool write, bool read, string copy, string paste)
    {
        var page = await fixture.OpenPageAsync();

        var result = await page.EvaluateAsync<string[]>(
            "([secure, hasWriteText, hasReadText]) => import('/js/terminal-clipboard.js').then(m => [m.copyMethod({ secure, hasWriteText }), m.pasteMethod({ secure, hasReadText })])",
            new object[] { secure, write, read });

        result.ShouldBe([copy, paste]);
    }

    [ChromiumFact]
    public async Task Prefs_SaveNotifiesAndClamps_ZoomChangesTheOpenTerminal()
    {
        var page = await fixture.OpenPageAsync();

        var stored = await page.EvaluateAsync<string>("""
            async () => {
                const prefs = await import('/js/terminal-prefs.js');
                const seen = [];
                const stop = prefs.subscribe(p => seen.push(p.fontSize));
                prefs.save({ fontSize: 100, copyOnSelect: false, renderer: 'bogus' });
                prefs.zoom(-1);
                stop();
                prefs.zoom(-1);
                await new Promise(r => setTimeout(r, 50));
                return JSON.stringify({ seen, stored: JSON.parse(localStorage.getItem(prefs.STORAGE_KEY)), font: window.element.__remoltTerm.options.fontSize });
            }
            """);

        stored.ShouldBe("""{"seen":[32,31],"stored":{"fontSize":30,"copyOnSelect":false,"renderer":"auto"},"font":30}""");
    }
}
