using System.Text.Json;
using RemoltBlazor.Web.Tests.Browser;
using RemoltBlazor.Web.Tests.Controls;
using static RemoltBlazor.Web.Tests.Endpoints.SessionApiClient;

namespace RemoltBlazor.Web.Tests.Security;

/// <summary>
/// In Chromium: a page of another local site (same site as the app on localhost, another port) tries what a
/// malicious page would: a no-cors POST that creates a session, a credentialed read of the session list, and a
/// terminal socket. Nothing of it gets through.
/// </summary>
public sealed class CrossSiteBrowserTests(ChromiumBrowser chromium) : IClassFixture<ChromiumBrowser>
{
    [ChromiumFact]
    public async Task ForeignPage_NoCorsPostReadAndSocket_AllRefusedNoSessionCreated()
    {
        await using var app = App(out var runtime);
        using var client = Client(app);
        var victim = await CreateAsync(client, "claude-code");
        await using var site = await ForeignSite.StartAsync();
        var page = await chromium.NewPageAsync(site.Address);
        await page.GotoAsync("/");

        var result = await page.EvaluateAsync<JsonElement>(
            """
            async ([app, id]) => {
              const out = {};
              await fetch(app + '/api/sessions', { method: 'POST', mode: 'no-cors', credentials: 'include' }).catch(() => {});
              await fetch(app + '/api/sessions', { method: 'POST', mode: 'no-cors', credentials: 'include',
                body: JSON.stringify({ agent_type: 'claude-code' }) }).catch(() => {});
              try {
                const r = await fetch(app + '/api/sessions', { credentials: 'include' });
                out.read = 'status ' + r.status + ': ' + await r.text();
              } catch (e) { out.read = 'blocked'; }
              out.socket = await new Promise(resolve => {
                const ws = new WebSocket(app.replace('http', 'ws') + '/ws/terminal/' + id);
                ws.onclose = e => resolve(e.code);
              });
              return out;
            }
            """,
            new[] { $"http://localhost:{app.BaseAddress.Port}", victim });

        result.GetProperty("read").GetString().ShouldBe("blocked");
        result.GetProperty("socket").GetInt32().ShouldBe(4003);
        runtime.CreateCalls.ShouldBe(1); // the victim's own session only
        app.Sessions.Snapshot().Select(s => s.Id).ShouldBe([victim]);
    }
}
