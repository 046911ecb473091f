using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Playwright;
using Cookie = Microsoft.Playwright.Cookie;
using RemoltBlazor.Sandboxes.Sessions;
using RemoltBlazor.TestSupport;
using RemoltBlazor.Web.Tests.Browser;
using RemoltBlazor.Web.Tests.Hosting;

namespace RemoltBlazor.Web.Tests.Admin;

/// <summary>
/// The real app on real Docker with test sign-in, shared by the admin page's browser tests: <see cref="Admin"/> holds
/// the admin role, alice and bob do not. Sessions are created through the API as their owners; pages open as a user by
/// the test cookies, and every page's console errors are collected.
/// </summary>
public sealed class AdminAppFixture : IAsyncLifetime
{
    public const string Admin = "carol";
    public static readonly TimeSpan Timeout = TimeSpan.FromSeconds(90);

    public RemoltAppFactory App { get; private set; } = default!;

    private readonly List<string> _consoleErrors = [];

    public async Task InitializeAsync()
    {
        if (TestEnvironment.DockerSkipReason is not null)
        {
            return;
        }

        await SandboxImage.EnsureBuiltAsync();
        App = new RemoltAppFactory(testUsers: true);
    }

    public async Task DisposeAsync()
    {
        if (App is not null)
        {
            await App.DisposeAsync();
        }
    }

    public async Task<Session> CreateSessionAsync(string login, string agent = "claude-code")
    {
        using var response = await App.SendAsAsync(login, HttpMethod.Post, "/api/sessions", JsonContent.Create(new { agent_type = agent }));
        response.StatusCode.ShouldBe(HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
        var id = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("session_id").GetString()!;
        return App.Sessions.Snapshot().Single(s => s.Id == id);
    }

    public async Task EndSessionAsync(Session session)
    {
        using var response = await App.SendAsAsync(session.Owner, HttpMethod.Delete, $"/api/sessions/{session.Id}");
        response.StatusCode.ShouldBe(HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
    }

    /// <summary>A new browser context signed in as <paramref name="login"/> (with the admin role when <paramref name="admin"/>).</summary>
    public async Task<IPage> OpenAsync(ChromiumBrowser chromium, string login, bool admin, int width = 1920, int height = 1080)
    {
        var page = await chromium.NewPageAsync(App.BaseAddress);
        await page.SetViewportSizeAsync(width, height);
        var cookies = new List<Cookie> { new() { Name = TestUserAuthentication.UserCookie, Value = login, Url = App.BaseAddress.ToString() } };
        if (admin)
        {
            cookies.Add(new Cookie { Name = TestUserAuthentication.AdminCookie, Value = "1", Url = App.BaseAddress.ToString() });
        }

        await page.Context.AddCookiesAsync(cookies);
        page.Console += (_, message) =>
        {
            if (ConsoleErrors.IsPageError(message))
            {
                lock (_consoleErrors)
                {
                    _consoleErrors.Add($"{login}: {message.Text}");
                }
            }
        };
        page.PageError += (_, error) =>
        {
            lock (_consoleErrors)
            {
                _consoleErrors.Add($"{login}: {error}");
            }
        };
        return page;
    }

    /// <summary>Console errors and page errors of every page opened through <see cref="OpenAsync"/> since the last call.</summary>
    public IReadOnlyList<string> TakeConsoleErrors()
    {
        lock (_consoleErrors)
        {
            var errors = _consoleErrors.ToArray();
            _consoleErrors.Clear();
            return errors;
        }
    }

    /// <summary>The admin page, interactive and fed (the first update arrived).</summary>
    public async Task<IPage> OpenAdminPageAsync(ChromiumBrowser chromium, int width = 1920, int height = 1080)
    {
        var page = await OpenAsync(chromium, Admin, admin: true, width, height);
        await page.GotoAsync("admin");
        await page.Locator("[data-testid=feed-state]:has-text('live')").WaitForAsync();
        return page;
    }
}
