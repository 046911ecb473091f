using System.Text.Json;
using Microsoft.Playwright;
using RemoltBlazor.Sandboxes.Agents;
using RemoltBlazor.TestSupport;
using RemoltBlazor.Web.Tests.Hosting;

namespace RemoltBlazor.Web.Tests.Browser;

/// <summary>
/// A launch whose agent image is missing, in a real browser against real Docker: the launch page shows the build
/// (bar, step, log tail) and then opens the session; a broken install shows the failing step's output.
/// </summary>
public sealed class ImageBuildUiTests(ChromiumBrowser chromium) : IClassFixture<ChromiumBrowser>, IAsyncLifetime
{
    private const string AgentId = "imgui";
    private readonly string _agents = Directory.CreateTempSubdirectory("remolt-image-ui-agents-").FullName;
    private readonly string _image = $"remolt-test-agent-{Guid.NewGuid():N}";

    public Task InitializeAsync() => SandboxImage.EnsureBuiltAsync();

    public async Task DisposeAsync()
    {
        await DockerCli.ExecuteAsync(["rmi", "-f", _image], TimeSpan.FromSeconds(60));
        Directory.Delete(_agents, recursive: true);
    }

    [BrowserFact]
    public async Task Launch_ImageMissing_ShowsTheBuildThenOpensTheSession()
    {
        await using var app = App("for i in 1 2 3 4 5 6; do echo building part $i; sleep 1; done");
        var page = await chromium.NewPageAsync(app.BaseAddress);

        await LaunchAsync(page);
        var log = page.Locator("[data-testid=image-build-log]");
        await log.Filter(new() { HasText = "building part 3" }).WaitForAsync(new() { Timeout = 120_000 });
        (await page.Locator("[data-testid=image-build-step]").InnerTextAsync()).ShouldContain("RUN ");
        (await page.Locator("[data-testid=image-build-cancel]").IsVisibleAsync()).ShouldBeTrue();
        await Screenshots.SaveAsync(page, "launch-image-build");

        await page.WaitForURLAsync("**/session/*", new() { Timeout = 120_000 });
        await new TerminalPage(page).WaitForTextAsync("$ ");
        app.Sessions.LiveCount.ShouldBe(1);
    }

    [BrowserFact]
    public async Task Launch_InstallFails_ShowsTheFailingStepsOutput()
    {
        await using var app = App("echo about to fail; exit 3");
        var page = await chromium.NewPageAsync(app.BaseAddress);

        await LaunchAsync(page);
        var error = page.Locator("[data-testid=image-build-error]");
        await error.WaitForAsync(new() { Timeout = 120_000 });
        (await error.InnerTextAsync()).ShouldContain("non-zero code: 3");
        (await page.Locator("[data-testid=image-build-failed-output]").InnerTextAsync()).ShouldContain("about to fail");
        await Screenshots.SaveAsync(page, "launch-image-build-failed");
        page.Url.ShouldNotContain("/session/");
        app.Sessions.LiveCount.ShouldBe(0);
    }

    private RemoltAppFactory App(string install)
    {
        Directory.CreateDirectory(Path.Combine(_agents, AgentId));
        File.WriteAllText(Path.Combine(_agents, AgentId, "agent.json"), JsonSerializer.Serialize(new Dictionary<string, object>
        {
            ["id"] = AgentId,
            ["name"] = "Image build test",
            ["description"] = "An agent whose image the launch builds.",
            ["install"] = install,
        }));
        return new RemoltAppFactory(new Dictionary<string, string?>
        {
            ["REMOLT_AGENTS_DIR"] = _agents,
            [AgentImages.VariableFor(AgentId)] = _image,
            ["REMOLT_BUILD_IMAGES"] = "true",
        });
    }

    private static async Task LaunchAsync(IPage page)
    {
        await page.GotoAsync("/");
        await page.Locator("#launch:not([disabled])").WaitForAsync();
        await page.Locator($"[data-agent={AgentId}]").ClickAsync();
        await page.Locator($"[data-agent={AgentId}][data-selected=true]").WaitForAsync();
        await page.Locator("#launch:not([disabled])").ClickAsync();
    }
}
