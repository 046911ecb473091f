using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Web;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.JSInterop;
using MudBlazor.Services;
using RemoltBlazor.Sandboxes.Terminals;
using RemoltBlazor.Web.Components.Controls;
using RemoltBlazor.Web.Realtime.Circuit;
using RemoltBlazor.Web.Tests.Realtime.Circuit;

namespace RemoltBlazor.Web.Tests.Controls;

public sealed class TerminalViewMarkupTests
{
    [Fact]
    public async Task Render_Initially_ShowsContainerAndConnectingStatus()
    {
        var html = await RenderAsync(new Dictionary<string, object?>
        {
            [nameof(TerminalView.SessionId)] = "abc123",
            [nameof(TerminalView.Caller)] = "alice",
            [nameof(TerminalView.Window)] = 2,
        });

        html.ShouldContain("class=\"terminal-view\"");
        html.ShouldContain("data-session-id=\"abc123\"");
        html.ShouldContain("data-window=\"2\"");
        html.ShouldContain("class=\"terminal-host\"");
        html.ShouldContain("role=\"status\"");
        html.ShouldContain("data-testid=\"terminal-status\"");
        html.ShouldContain("data-kind=\"info\"");
        html.ShouldContain("Connecting"); // the ellipsis is HTML-encoded
    }

    [Fact]
    public async Task Render_WithoutWindow_DefaultsToWindowZero()
    {
        var html = await RenderAsync(new Dictionary<string, object?>
        {
            [nameof(TerminalView.SessionId)] = "abc123",
            [nameof(TerminalView.Caller)] = "alice",
        });

        html.ShouldContain("data-window=\"0\"");
    }

    [Theory]
    [InlineData(TerminalEndReason.Ended, "Session ended", TerminalStatusKind.Warn)]
    [InlineData(TerminalEndReason.NotFound, "Session not found", TerminalStatusKind.Error)]
    [InlineData(TerminalEndReason.AttachFailed, "Attach failed: booting", TerminalStatusKind.Error)]
    [InlineData(TerminalEndReason.Failed, "Disconnected: booting", TerminalStatusKind.Error)]
    public void From_Outcome_GivesStatus(TerminalEndReason reason, string text, TerminalStatusKind kind)
    {
        var status = TerminalViewStatus.From(new TerminalOutcome(reason, "booting"));

        status.ShouldBe(new TerminalViewStatus(kind, text));
        status.TerminalLine.ShouldBe($"● {text}");
    }

    private static async Task<string> RenderAsync(Dictionary<string, object?> parameters)
    {
        var services = new ServiceCollection();
        services.AddSingleton<ILoggerFactory>(NullLoggerFactory.Instance);
        services.AddSingleton(typeof(ILogger<>), typeof(NullLogger<>));
        services.AddSingleton<IJSRuntime, UnusedJSRuntime>();
        services.AddSingleton<ITerminalAttacher>(new CircuitTerminalTests.FakeAttacher(_ => new ScriptedTerminalStream()));
        services.AddCircuitTerminals();
        services.AddMudServices(); // the status overlay is a MudAlert
        await using var provider = services.BuildServiceProvider();
        await using var renderer = new HtmlRenderer(provider, NullLoggerFactory.Instance);

        return await renderer.Dispatcher.InvokeAsync(async () =>
        {
            var output = await renderer.RenderComponentAsync<TerminalView>(ParameterView.FromDictionary(parameters));
            return output.ToHtmlString();
        });
    }

    // Static rendering never runs OnAfterRender, so the component must not touch JS before it.
    private sealed class UnusedJSRuntime : IJSRuntime
    {
        public ValueTask<TValue> InvokeAsync<TValue>(string identifier, object?[]? args) =>
            throw new InvalidOperationException("JS interop during static render");

        public ValueTask<TValue> InvokeAsync<TValue>(string identifier, CancellationToken cancellationToken, object?[]? args) =>
            throw new InvalidOperationException("JS interop during static render");
    }
}
