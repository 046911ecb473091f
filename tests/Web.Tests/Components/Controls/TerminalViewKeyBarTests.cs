using Bunit;
using RemoltBlazor.Web.Components.Controls;

namespace RemoltBlazor.Web.Tests.Components.Controls;

/// <summary>The phone key bar as rendered: its keys reach the TTY, and the sticky Ctrl arms xterm.js for the next key.</summary>
public sealed class TerminalViewKeyBarTests
{
    [Fact]
    public async Task KeyBar_EscThenCtrlAndTypedC_WritesEscAndEtxToTheTty()
    {
        await using var ctx = await ComponentTestContext.CreateAsync();
        var cut = ctx.Render<TerminalView>(p => p.Add(v => v.SessionId, "abc123").Add(v => v.Caller, "alice"));
        cut.WaitForAssertion(() => cut.FindAll("[data-testid=terminal-status]").ShouldBeEmpty(), ComponentTestContext.Timeout); // attached
        var tty = ctx.Streams.ShouldHaveSingleItem();

        await cut.Find("[data-key=esc]").ClickAsync(new());
        await cut.Find("[data-key=ctrl]").ClickAsync(new());

        cut.Find("[data-key=ctrl]").GetAttribute("aria-pressed").ShouldBe("true");
        ctx.JSInterop.Invocations.Where(i => i.Identifier == "setArmed").Select(i => (bool)i.Arguments[0]!).ShouldBe([false, true]);
        await cut.InvokeAsync(() => cut.Instance.OnArmedInput("c"));

        cut.WaitForAssertion(() => tty.Written.SelectMany(b => b).ToArray().ShouldBe([0x1b, 0x03]), ComponentTestContext.Timeout);
        cut.Find("[data-key=ctrl]").GetAttribute("aria-pressed").ShouldBe("false");
    }

    [Fact]
    public async Task SearchShortcut_OpensTheBarAndEscapeClosesIt()
    {
        await using var ctx = await ComponentTestContext.CreateAsync();
        var cut = ctx.Render<TerminalView>(p => p.Add(v => v.SessionId, "abc123").Add(v => v.Caller, "alice"));
        cut.FindAll("[data-testid=terminal-search]").ShouldBeEmpty();

        await cut.InvokeAsync(() => cut.Instance.OnShortcut("search"));
        var bar = cut.Find("[data-testid=terminal-search]");
        await bar.KeyDownAsync(new Microsoft.AspNetCore.Components.Web.KeyboardEventArgs { Key = "Escape" });

        cut.FindAll("[data-testid=terminal-search]").ShouldBeEmpty();
    }
}
