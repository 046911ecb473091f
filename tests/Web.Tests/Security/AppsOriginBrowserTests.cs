using System.Text.Json;
using RemoltBlazor.Web.Tests.Browser;
using RemoltBlazor.Web.Tests.Controls;
using static RemoltBlazor.Web.Tests.Endpoints.SessionApiClient;

namespace RemoltBlazor.Web.Tests.Security;

/// <summary>
/// In Chromium: a page that something in a sandbox serves (here code-server's port), opened the way the UI opens it
/// (the old app-origin path, redirected), runs on the apps origin and cannot use the app with the user's
/// credentials: reads are blocked, writes refused, its own origin has no API, the terminal socket is closed.
/// </summary>
public sealed class AppsOriginBrowserTests(ChromiumBrowser chromium) : IClassFixture<ChromiumBrowser>
{
    [ChromiumFact]
    public async Task SandboxPage_CallsTheAppsApi_AllRefused()
    {
        await using var app = App(out var runtime);
        await using var upstream = await ForeignSite.StartAsync();
        runtime.Ports[18080] = upstream.Address.Port;
        using var client = Client(app);
        var victim = await CreateAsync(client, "claude-code");
        var page = await chromium.NewPageAsync(app.BaseAddress);

        await page.GotoAsync($"/vscode/{victim}/");

        try
        {
            await page.Locator("text=another site").WaitForAsync();
        }
        catch (TimeoutException)
        {
            throw new TimeoutException($"The proxied page did not show; the browser is at {page.Url}:\n{await page.ContentAsync()}");
        }

        var url = new Uri(page.Url);
        url.Port.ShouldNotBe(app.BaseAddress.Port);
        url.AbsolutePath.ShouldBe($"/vscode/{victim}/");
        var appOrigin = app.BaseAddress.GetLeftPart(UriPartial.Authority);
        var result = await page.EvaluateAsync<JsonElement>(
            """
            async ([app, id]) => {
              const out = {};
              const attempt = async (name, run) => { try { out[name] = await run(); } catch (e) { out[name] = 'blocked'; } };
              await attempt('read', async () => 'status ' + (await fetch(app + '/api/sessions', { credentials: 'include' })).status);
              await attempt('own', async () => 'status ' + (await fetch('/api/sessions', { credentials: 'include' })).status);
              await attempt('create', async () => 'status ' + (await fetch(app + '/api/sessions', { method: 'POST', credentials: 'include',
                headers: { 'Content-Type': 'application/json' }, body: '{}' })).status);
              await attempt('nocors', async () => { await fetch(app + '/api/sessions', { method: 'POST', mode: 'no-cors', credentials: 'include' }); return 'sent'; });
              await attempt('delete', async () => 'status ' + (await fetch(app + '/api/sessions/' + id, { method: 'DELETE', credentials: 'include' })).status);
              out.socket = await new Promise(resolve => {
                const ws = new WebSocket(app.replace('http', 'ws') + '/ws/terminal/' + id);
                ws.onclose = e => resolve(e.code);
              });
              return out;
            }
            """,
            new[] { appOrigin, victim });

        result.GetProperty("read").GetString().ShouldBe("blocked");
        result.GetProperty("own").GetString().ShouldBe("status 404");
        result.GetProperty("create").GetString().ShouldBe("blocked");
        result.GetProperty("delete").GetString().ShouldBe("blocked");
        result.GetProperty("socket").GetInt32().ShouldBe(4003);
        runtime.CreateCalls.ShouldBe(1);
        app.Sessions.Snapshot().Select(s => s.Id).ShouldBe([victim]);
    }
}
