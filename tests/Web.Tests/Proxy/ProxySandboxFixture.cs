using RemoltBlazor.Sandboxes.Runtime;
using RemoltBlazor.Sandboxes.Sessions;
using RemoltBlazor.TestSupport;
using RemoltBlazor.Web.Tests.Hosting;

namespace RemoltBlazor.Web.Tests.Proxy;

/// <summary>
/// The real app on real Docker with two sandboxes: an OpenClaw session (a dashboard on 18789) running upstream.js
/// on 18789 (dashboard), 18080 (the VS Code stand-in) and 5173 (a dev server to preview), and a Claude Code
/// session (no dashboard) where nothing listens.
/// </summary>
public sealed class ProxySandboxFixture : IAsyncLifetime
{
    public const string AllowedOrigin = "https://allowed.example";
    public static readonly int[] UpstreamPorts = [18789, 18080, 5173];

    public RemoltAppFactory App { get; private set; } = default!;

    public Session Dashboard { get; private set; } = default!;

    public Session Plain { get; private set; } = default!;

    public async Task InitializeAsync()
    {
        if (TestEnvironment.DockerSkipReason is not null)
        {
            return;
        }

        await SandboxImage.EnsureBuiltAsync();
        App = new RemoltAppFactory(new Dictionary<string, string?>
        {
            ["REMOLT_ALLOWED_ORIGINS"] = AllowedOrigin,
            ["REMOLT_PREVIEW_PORTS"] = "1024-65535",
            // The forwarding itself is the same on either origin; these tests drive it on the app's paths directly.
            // The apps origin in front of it is tested in Security/AppsOrigin*Tests.
            ["REMOLT_APPS_PORT"] = "off",
        });
        _ = App.BaseAddress;
        Dashboard = await App.Sessions.CreateAsync("anonymous", new CreateSessionRequest("openclaw"), CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(90));
        Plain = await App.Sessions.CreateAsync("anonymous", new CreateSessionRequest("claude-code"), CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(90));
        await StartUpstreamsAsync(App.Runtime, Dashboard.SandboxId!, UpstreamPorts);
    }

    /// <summary>Copies upstream.js into the sandbox, starts it on each port (detached) and waits until they listen.</summary>
    public static async Task StartUpstreamsAsync(ISandboxRuntime runtime, string sandboxId, IReadOnlyList<int> ports, string host = "127.0.0.1")
    {
        var copy = await runtime.ExecAsync(sandboxId, ["bash", "-c", "cat > /tmp/upstream.js"], UpstreamScript.Bytes, CancellationToken.None);
        copy.ExitCode.ShouldBe(0);
        foreach (var port in ports)
        {
            var start = await runtime.ExecAsync(
                sandboxId, ["bash", "-c", "setsid nohup node /tmp/upstream.js \"$1\" \"$2\" > /tmp/upstream-$1.log 2>&1 < /dev/null &", "start", port.ToString(), host],
                ReadOnlyMemory<byte>.Empty, CancellationToken.None);
            start.ExitCode.ShouldBe(0);
        }

        foreach (var port in ports)
        {
            await WaitForPortAsync(runtime, sandboxId, port);
        }
    }

    public static async Task WaitForPortAsync(ISandboxRuntime runtime, string sandboxId, int port)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        while (true)
        {
            try
            {
                await using var stream = await runtime.ConnectAsync(sandboxId, port, CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(10));
                return;
            }
            catch (SandboxPortClosedException) when (DateTime.UtcNow < deadline)
            {
                await Task.Delay(200);
            }
        }
    }

    public HttpClient NewClient() => new(new SocketsHttpHandler
    {
        UseCookies = false,
        AllowAutoRedirect = false,
        AutomaticDecompression = System.Net.DecompressionMethods.None,
    })
    {
        BaseAddress = App.BaseAddress,
        Timeout = TimeSpan.FromSeconds(60),
    };

    public async Task DisposeAsync()
    {
        if (App is not null)
        {
            await App.DisposeAsync();
        }
    }
}

[CollectionDefinition(Name)]
public sealed class ProxySandboxCollection : ICollectionFixture<ProxySandboxFixture>
{
    public const string Name = "proxy sandbox";
}
