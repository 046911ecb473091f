using System.Text;
using AngleSharp.Dom;
using Bunit;
using RemoltBlazor.Sandboxes.Sessions;
using RemoltBlazor.Sandboxes.Terminals;
using RemoltBlazor.Web.Components.Controls;
using RemoltBlazor.Web.Realtime.Circuit;

namespace RemoltBlazor.Web.Tests.Components.Controls;

/// <summary>The terminal's overlay, banner and lifetime as rendered; what xterm.js draws is for the browser tests.</summary>
public sealed class TerminalViewTests
{
    private const string SignInUrl = "https://claude.ai/oauth/authorize?client_id=abc&state=xyz";

    [Fact]
    public async Task Render_BeforeAttach_ShowsSessionWindowAndConnecting()
    {
        await using var ctx = await ComponentTestContext.CreateAsync();
        ctx.TerminalModule.Setup<TerminalFit>("fit"); // never answers: the terminal stays connecting

        var cut = ctx.Render<TerminalView>(p => p.Add(v => v.SessionId, "abc123").Add(v => v.Caller, "alice").Add(v => v.Window, 2));

        var view = cut.Find("[data-session-id]");
        view.GetAttribute("data-session-id").ShouldBe("abc123");
        view.GetAttribute("data-window").ShouldBe("2");
        cut.Find("[role=status]").TextContent.Trim().ShouldBe("Connecting…");
        Buttons(cut, "Retry now").ShouldBeEmpty();
        ctx.Attacher.Calls.ShouldBeEmpty();
    }

    [Fact]
    public async Task Render_WithoutWindow_AttachesWindowZeroAtTheFittedSize()
    {
        await using var ctx = await ComponentTestContext.CreateAsync();

        var cut = ctx.Render<TerminalView>(p => p.Add(v => v.SessionId, "abc123").Add(v => v.Caller, "alice"));

        cut.Find("[data-session-id]").GetAttribute("data-window").ShouldBe("0");
        cut.WaitForAssertion(() => cut.FindAll("[role=status]").ShouldBeEmpty(), ComponentTestContext.Timeout);
        ctx.Attacher.Calls.ShouldBe([("abc123", "alice", new Sandboxes.Runtime.TerminalAttachOptions(0, new Sandboxes.Runtime.TerminalSize(120, 30)))]);
    }

    [Fact]
    public async Task RetryNow_AfterFailedAttach_AttachesWithoutWaiting()
    {
        await using var ctx = await ComponentTestContext.CreateAsync();
        var attempts = 0;
        ctx.AttachTerminal = _ => Interlocked.Increment(ref attempts) == 1 ? throw new TerminalAttachException("booting", new IOException()) : ctx.NewStream();
        var cut = ctx.Render<TerminalView>(p => p.Add(v => v.SessionId, "abc123").Add(v => v.Caller, "alice"));

        cut.WaitForAssertion(() => cut.Find("[role=status]").TextContent.ShouldContain("Connection lost (booting). Reconnecting in 1 s…"), ComponentTestContext.Timeout);
        Buttons(cut, "Retry now").ShouldHaveSingleItem().Click();

        cut.WaitForAssertion(() => cut.FindAll("[role=status]").ShouldBeEmpty(), ComponentTestContext.Timeout);
        ctx.Attacher.Calls.Count.ShouldBe(2);
    }

    [Fact]
    public async Task SignInLink_InOutput_ShowsBannerThatDismisses()
    {
        await using var ctx = await ComponentTestContext.CreateAsync();
        var cut = RenderAttached(ctx);

        ctx.Streams[0].Emit(Encoding.UTF8.GetBytes(SignInUrl + "\r\n"));

        var banner = cut.WaitForElement("[data-testid=auth-url]", ComponentTestContext.Timeout);
        banner.GetAttribute("role").ShouldBe("alert");
        banner.QuerySelectorAll("a").Select(a => a.GetAttribute("href")).ShouldContain(SignInUrl);
        cut.Find("[data-testid=auth-url] button[title=Dismiss], [data-testid=auth-url] button[aria-label=Dismiss]").Click();
        cut.FindAll("[data-testid=auth-url]").ShouldBeEmpty();
    }

    [Fact]
    public async Task SignInLink_SendCode_TypesItIntoTheTerminal()
    {
        await using var ctx = await ComponentTestContext.CreateAsync();
        var cut = RenderAttached(ctx);
        ctx.Streams[0].Emit(Encoding.UTF8.GetBytes(SignInUrl + "\r\n"));
        cut.WaitForElement("[data-testid=auth-url]", ComponentTestContext.Timeout);

        cut.Find("input[aria-label='Code from the sign-in page']").Input("CODE-1234");
        Buttons(cut, "Send code").ShouldHaveSingleItem().Click();

        cut.WaitForAssertion(() => cut.FindAll("[data-testid=auth-url]").ShouldBeEmpty(), ComponentTestContext.Timeout);
        Encoding.UTF8.GetString(ctx.Streams[0].Written.ShouldHaveSingleItem()).ShouldBe("CODE-1234\r");
    }

    [Fact]
    public async Task SessionGone_ShowsWhyAndRaisesOnEnded()
    {
        await using var ctx = await ComponentTestContext.CreateAsync();
        ctx.AttachTerminal = _ => throw new SessionNotFoundException();
        var ended = new TaskCompletionSource<TerminalEndedArgs>(TaskCreationOptions.RunContinuationsAsynchronously);

        var cut = ctx.Render<TerminalView>(p => p.Add(v => v.SessionId, "abc123").Add(v => v.Caller, "alice").Add(v => v.OnEnded, args => ended.SetResult(args)));

        (await ended.Task.WaitAsync(ComponentTestContext.Timeout)).ShouldBe(new TerminalEndedArgs("abc123", 0, TerminalEndReason.NotFound, "Session not found"));
        cut.WaitForAssertion(() => cut.Find("[role=status]").TextContent.Trim().ShouldBe("Session not found"), ComponentTestContext.Timeout);
        Buttons(cut, "Retry now").ShouldBeEmpty();
    }

    [Fact]
    public async Task Dispose_Attached_DetachesTheTerminal()
    {
        await using var ctx = await ComponentTestContext.CreateAsync();
        RenderAttached(ctx);

        await ctx.DisposeComponentsAsync();

        ctx.Streams[0].IsDisposed.ShouldBeTrue();
        ctx.TerminalModule.VerifyInvoke("dispose");
    }

    private static IRenderedComponent<TerminalView> RenderAttached(ComponentTestContext ctx)
    {
        var cut = ctx.Render<TerminalView>(p => p.Add(v => v.SessionId, "abc123").Add(v => v.Caller, "alice"));
        cut.WaitForAssertion(() => cut.FindAll("[role=status]").ShouldBeEmpty(), ComponentTestContext.Timeout);
        return cut;
    }

    private static List<IElement> Buttons(IRenderedComponent<TerminalView> cut, string text) =>
        [.. cut.FindAll("button").Where(b => b.TextContent.Trim() == text)];
}
