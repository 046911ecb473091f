using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Playwright;
using RemoltBlazor.TestSupport;
using RemoltBlazor.TestSupport.Kubernetes;
using RemoltBlazor.Web.Tests.Browser;
using RemoltBlazor.Web.Tests.Hosting;
using RemoltBlazor.Web.Tests.Proxy;

namespace RemoltBlazor.Web.Tests.Kubernetes;

/// <summary>
/// A user's whole path in Chromium with the sandbox in a pod (the fake API server, its pods real containers): the
/// launch page, typing, a reload with the history, a localhost link opened through the port preview, the admin
/// page's usage columns, and ending the session, with nothing in the UI changed for Kubernetes.
/// </summary>
public sealed class KubernetesBrowserTests(ChromiumBrowser chromium) : IClassFixture<ChromiumBrowser>
{
    [BrowserFact]
    public async Task LaunchTypeReload_PortPreview_AdminUsage_End_AllOnAPod()
    {
        await SandboxImage.EnsureBuiltAsync();
        await using var api = await FakeApiServer.StartAsync(new FakeApiServerOptions { Pods = FakePodBackend.Docker });
        var data = TestDataFolder.Create("remolt-k8s-browser-tests");
        var settings = KubernetesServerTests.KubernetesSettings(api, data).ToDictionary(e => e.Key, e => (string?)e.Value);
        await using var app = new RemoltAppFactory(settings);
        var page = await chromium.NewPageAsync(app.BaseAddress);

        await page.GotoAsync("/");
        await page.Locator("#launch:not([disabled])").ClickAsync();
        await page.WaitForURLAsync("**/session/*", new() { Timeout = 60_000 });
        var sessionId = page.Url.Split('/')[^1];
        (await KubernetesServerTests.PodsOfSessionAsync(api, sessionId)).ShouldBe(1);
        var terminal = new TerminalPage(page);
        await terminal.WaitForTextAsync("$ ");
        await terminal.TypeLineAsync("echo on-a-pod-$((6*7)); echo host-$(hostname)");
        await terminal.WaitForTextAsync("on-a-pod-42");
        await terminal.WaitForTextAsync("\nhost-sandbox"); // the pod's hostname as the runtime sets it, not its long name
        await Screenshots.SaveAsync(page, "k8s-workspace");

        await page.ReloadAsync();
        await terminal.WaitForTextAsync("on-a-pod-42");

        // A dev server bound to the pod's loopback, reached through the runtime's exec: nothing listens on the pod network.
        var sandboxId = app.Sessions.Get(sessionId, "anonymous").SandboxId!;
        await ProxySandboxFixture.StartUpstreamsAsync(app.Runtime, sandboxId, [5173]);
        var opened = await terminal.OpenPrintedLinkAsync("http://localhost:5173/echo?from=pod");
        (await opened.ContentAsync()).ShouldContain("\"url\":\"/echo?from=pod\"");
        await opened.CloseAsync();

        // The admin page reads the pod's usage like a container's.
        var admin = await chromium.NewPageAsync(app.BaseAddress);
        await admin.GotoAsync("admin");
        var adminRow = admin.Locator("[data-testid=session-grid] tbody tr").Filter(new() { Has = admin.Locator($"[data-session-id='{sessionId}']") });
        await adminRow.Locator("[data-testid=cpu]").Filter(new() { HasTextRegex = new("%") }).WaitForAsync(new() { Timeout = 30_000 });
        (await adminRow.InnerTextAsync()).ShouldContain("MiB");
        await Screenshots.SaveAsync(admin, "k8s-admin");
        await admin.CloseAsync();

        var dialog = page.GetByRole(AriaRole.Dialog);
        await page.Locator("#end-session").ClickAsync();
        await dialog.GetByRole(AriaRole.Button, new() { Name = "End session" }).ClickAsync();
        await page.WaitForURLAsync(url => !url.Contains("/session/", StringComparison.Ordinal));
        await Poll.UntilAsync(async () => await KubernetesServerTests.PodsOfSessionAsync(api, sessionId) == 0, TimeSpan.FromSeconds(30));
    }

    [BrowserFact]
    public async Task Launch_ImageTheClusterCannotPull_TheLaunchPageSaysSoAndNoPodIsLeft()
    {
        await using var api = await FakeApiServer.StartAsync(new FakeApiServerOptions { Pods = FakePodBackend.Docker });
        var data = TestDataFolder.Create("remolt-k8s-browser-tests");
        var settings = KubernetesServerTests.KubernetesSettings(api, data).ToDictionary(e => e.Key, e => (string?)e.Value);
        settings["REMOLT_SANDBOX_IMAGE"] = "registry.invalid/remolt/sandbox:missing";
        await using var app = new RemoltAppFactory(settings);
        var page = await chromium.NewPageAsync(app.BaseAddress);

        await page.GotoAsync("/");
        await page.Locator("#launch:not([disabled])").ClickAsync();
        var alert = page.GetByRole(AriaRole.Alert).Filter(new() { HasText = "registry.invalid/remolt/sandbox:missing" });
        await alert.WaitForAsync(new() { Timeout = 60_000 });
        (await alert.InnerTextAsync()).ShouldContain("cannot pull");
        await Screenshots.SaveAsync(page, "k8s-launch-image-pull");

        page.Url.ShouldNotContain("/session/");
        app.Sessions.LiveCount.ShouldBe(0);
        using var http = api.CreateHttpClient(withToken: true);
        await Poll.UntilAsync(async () => (await http.GetFromJsonAsync<JsonElement>($"api/v1/namespaces/{FakeApiServer.Namespace}/pods"))
            .GetProperty("items").GetArrayLength() == 0, TimeSpan.FromSeconds(30));
    }
}
