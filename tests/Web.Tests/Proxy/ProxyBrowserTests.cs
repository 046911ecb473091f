using RemoltBlazor.TestSupport;
using RemoltBlazor.Web.Tests.Browser;

namespace RemoltBlazor.Web.Tests.Proxy;

/// <summary>Chromium on the workspace page: localhost links and a Codex-style localhost sign-in callback, through the preview.</summary>
public sealed class ProxyBrowserTests(ChromiumBrowser chromium) : IClassFixture<ChromiumBrowser>
{
    // A stand-in for codex login's callback server: records the query it receives, as codex's would consume it.
    private const string CallbackServer =
        "require('http').createServer((q, s) => { require('fs').writeFileSync('/tmp/callback.txt', q.url); " +
        "s.writeHead(200, {'Content-Type': 'text/html'}); s.end('<h1>Signed in to the sandbox</h1>'); }).listen(1455, '127.0.0.1')";

    [BrowserFact]
    public async Task LocalhostCallbackSignIn_PastedAddress_ReachesTheServerInTheSandbox()
    {
        await using var workspace = await BrowserWorkspace.StartAsync();
        var session = workspace.Session;
        var runtime = workspace.App.Runtime;
        await runtime.ExecAsync(session.SandboxId!, ["bash", "-c", "setsid nohup node -e \"$1\" > /tmp/cb.log 2>&1 < /dev/null &", "cb", CallbackServer],
            ReadOnlyMemory<byte>.Empty, CancellationToken.None);
        await ProxySandboxFixture.WaitForPortAsync(runtime, session.SandboxId!, 1455);

        var terminal = await workspace.OpenAsync(chromium);
        var page = workspace.Page;
        await terminal.TypeLineAsync(
            "echo 'https://auth.openai.com/oauth/authorize?response_type=code&client_id=app_x&redirect_uri=http%3A%2F%2Flocalhost%3A1455%2Fauth%2Fcallback&state=st1'");

        var callback = page.Locator("[data-testid=auth-callback]");
        await callback.WaitForAsync(new() { Timeout = 20_000 });
        (await callback.TextContentAsync()).ShouldNotBeNull().ShouldContain("localhost:1455");
        await callback.Locator("input").FillAsync("http://localhost:9999/elsewhere");
        await callback.Locator(".auth-callback-error").WaitForAsync();
        await callback.Locator("input").FillAsync("http://localhost:1455/auth/callback?code=the-code&state=st1");
        var finish = callback.Locator("a.auth-callback-open");
        (await finish.GetAttributeAsync("href")).ShouldBe($"/proxy/{session.Id}/port/1455/auth/callback?code=the-code&state=st1");
        await Screenshots.SaveAsync(page, "workspace-localhost-callback");

        var opened = await page.Context.RunAndWaitForPageAsync(() => finish.ClickAsync());
        await opened.WaitForLoadStateAsync();

        (await opened.Locator("h1").TextContentAsync()).ShouldBe("Signed in to the sandbox");
        var received = await runtime.ExecAsync(session.SandboxId!, ["cat", "/tmp/callback.txt"], ReadOnlyMemory<byte>.Empty, CancellationToken.None);
        System.Text.Encoding.UTF8.GetString(received.Stdout).ShouldBe("/auth/callback?code=the-code&state=st1");
    }

    [BrowserFact]
    public async Task LocalhostLinkInTheTerminal_OpensThePortPreview()
    {
        await using var workspace = await BrowserWorkspace.StartAsync();
        var session = workspace.Session;
        await ProxySandboxFixture.StartUpstreamsAsync(workspace.App.Runtime, session.SandboxId!, [5173]);

        var terminal = await workspace.OpenAsync(chromium);
        var opened = await terminal.OpenPrintedLinkAsync("http://localhost:5173/echo?from=terminal");

        // It opens on the apps origin (issue 10 item 10): the same host on another port, the same path there.
        var url = new Uri(opened.Url);
        url.Host.ShouldBe(workspace.App.BaseAddress.Host);
        url.Port.ShouldNotBe(workspace.App.BaseAddress.Port);
        url.PathAndQuery.ShouldBe($"/proxy/{session.Id}/port/5173/echo?from=terminal");
        (await opened.ContentAsync()).ShouldContain("\"url\":\"/echo?from=terminal\"");
    }
}
