using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Playwright;
using RemoltBlazor.TestSupport;
using RemoltBlazor.Web.Tests.Browser;
using RemoltBlazor.Web.Tests.Hosting;

namespace RemoltBlazor.Web.Tests.Local;

/// <summary>
/// The README's run command on a machine where no Docker engine answers (the app's DOCKER_HOST points nowhere) and no
/// cluster exists: auto picks the local (bubblewrap) runtime, says so in its start line, /health and the admin page,
/// and a user in Chromium launches a session, types in its terminal, reloads, and ends it, with nothing left running.
/// </summary>
public sealed class LocalServerTests(ChromiumBrowser chromium) : IClassFixture<ChromiumBrowser>
{
    [LocalBrowserFact]
    public async Task NoDocker_TheRunCommandServesLocalSandboxes_LaunchTypeReloadEnd()
    {
        var data = TestDataFolder.Create("remolt-local-server-tests");
        try
        {
            await using var app = await AppProcess.StartAsync(data, new Dictionary<string, string>
            {
                ["DOCKER_HOST"] = "unix:///nonexistent/remolt-tests/docker.sock",
                ["REMOLT_RUNTIME"] = "auto",
                // The agent's own install (npm, from the internet) is LocalToolsTests' business, with a small agent.
                ["REMOLT_BUILD_IMAGES"] = "false",
                ["ASPNETCORE_ENVIRONMENT"] = "Development", // static web assets from the build, as `dotnet run` serves them
                ["Logging__LogLevel__RemoltBlazor.Sandboxes.Runtime"] = "Information",
            });
            using var http = new HttpClient { BaseAddress = app.Address };
            var health = await http.GetFromJsonAsync<JsonElement>("health");
            health.GetProperty("runtime").GetString().ShouldBe("local");
            health.GetProperty("runtime_available").GetBoolean().ShouldBeTrue();
            app.Output.ShouldContain("Sandbox runtime: local (bubblewrap sandboxes on this host; auto: no cluster and no Docker engine");

            var page = await chromium.NewPageAsync(app.Address);
            await page.GotoAsync("/");
            await page.Locator("#launch:not([disabled])").ClickAsync();
            await page.WaitForURLAsync("**/session/*", new() { Timeout = 60_000 });
            var terminal = new TerminalPage(page);
            await terminal.WaitForTextAsync("$ ");
            await terminal.TypeLineAsync("echo local-$((6*7)); whoami; test -S /var/run/docker.sock || echo no-engine-here");
            await terminal.WaitForTextAsync("local-42\ndev\nno-engine-here");
            await Screenshots.SaveAsync(page, "local-workspace");

            await page.ReloadAsync();
            await terminal.WaitForTextAsync("local-42");

            var admin = await chromium.NewPageAsync(app.Address);
            await admin.GotoAsync("admin");
            await admin.Locator("[data-testid=runtime-health]").Filter(new() { HasText = "healthy" }).WaitForAsync();
            (await admin.Locator("[data-testid=runtime-name]").InnerTextAsync()).ShouldBe("local");
            await admin.CloseAsync();

            var dialog = page.GetByRole(AriaRole.Dialog);
            await page.Locator("#end-session").ClickAsync();
            await dialog.GetByRole(AriaRole.Button, new() { Name = "End session" }).ClickAsync();
            await page.WaitForURLAsync(url => !url.Contains("/session/", StringComparison.Ordinal));
            await Poll.UntilAsync(async () => await LocalSandboxProcesses.CountAsync(data) == 0, TimeSpan.FromSeconds(30));
        }
        finally
        {
            await LocalSandboxProcesses.KillAsync(data);
        }
    }
}
