using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using RemoltBlazor.Sandboxes.Terminals;
using RemoltBlazor.TestSupport;
using RemoltBlazor.Web.Realtime.Circuit;
using RemoltBlazor.Web.Tests.Hosting;
using RemoltBlazor.Web.Tests.Realtime.Circuit;
using static RemoltBlazor.Web.Tests.Endpoints.SessionApiClient;

namespace RemoltBlazor.Web.Tests.Operations;

/// <summary>The workspace page's terminals (a circuit's <see cref="CircuitTerminalService"/>) count as <c>circuit</c>, an admin watching as <c>admin</c>.</summary>
public sealed class CircuitAttachMetricsTests
{
    private static readonly TimeSpan s_timeout = TimeSpan.FromSeconds(10);

    [Fact]
    public async Task CircuitTerminals_AttachAndWatch_CountedByTransport()
    {
        var attacher = new CircuitTerminalTests.FakeAttacher(_ => new ScriptedTerminalStream());
        await using var app = new RemoltAppFactory(runtime: new FakeSandboxRuntime(),
            services: s => s.Replace(ServiceDescriptor.Singleton<ITerminalAttacher>(attacher)));
        using var client = Client(app);

        await using (var scope = app.Services.CreateAsyncScope())
        {
            // As a circuit does: its scoped service, from the app's own registration.
            var terminals = scope.ServiceProvider.GetRequiredService<CircuitTerminalService>();
            await AttachAsync(terminals.Open("s1", "alice", 0));
            await AttachAsync(terminals.Open("s1", "root", 0, readOnly: true));
        }

        using var response = await client.GetAsync("/metrics").WaitAsync(ApiTimeout);
        var scrape = new PrometheusText(await response.Content.ReadAsStringAsync());
        scrape.Value("remolt_terminal_attaches_total", ("transport", "circuit")).ShouldBe(1);
        scrape.Value("remolt_terminal_attaches_total", ("transport", "admin")).ShouldBe(1);
        scrape.Value("remolt_terminal_attaches_total", ("transport", "websocket")).ShouldBe(0);
    }

    private static async Task AttachAsync(CircuitTerminal terminal)
    {
        var attached = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var run = terminal.RunAsync(80, 24, (_, _) => Task.CompletedTask, () => { attached.SetResult(); return Task.CompletedTask; }, CancellationToken.None);
        await attached.Task.WaitAsync(s_timeout);
        await terminal.DisposeAsync().AsTask().WaitAsync(s_timeout);
        try
        {
            await run.WaitAsync(s_timeout);
        }
        catch (OperationCanceledException)
        {
            // Disposing cancels the run: the way a tab's terminal ends.
        }
    }
}
