using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.StaticFiles;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.FileProviders;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Playwright;
using RemoltBlazor.TestSupport;

namespace RemoltBlazor.Web.Tests.Controls;

/// <summary>
/// Serves src/Web/wwwroot (terminal.js and the xterm.js files the build copied into lib/xterm) plus a test page from
/// a minimal Kestrel app on 127.0.0.1, and one headless Chromium for the test class.
/// </summary>
public sealed class TerminalJsFixture : IAsyncLifetime
{
    // The page stands in for Blazor: a fake dotnetRef records every call; window.inputDelayMs makes its promises slow.
    private const string TestPage = """
        <!doctype html>
        <html><head><meta charset="utf-8"><link rel="stylesheet" href="/lib/xterm/xterm.css"></head>
        <body style="margin:0">
        <div id="term" style="width:800px;height:400px"></div>
        <script type="module">
        import * as terminal from '/js/terminal.js';
        const log = { input: [], resizes: [], inFlight: 0, maxInFlight: 0 };
        window.log = log;
        window.inputDelayMs = 2;
        const dotnetRef = {
            invokeMethodAsync(name, ...args) {
                if (name === 'OnResize') { log.resizes.push(args); return Promise.resolve(); }
                if (!(args[0] instanceof Uint8Array)) throw new Error('input is not a Uint8Array');
                log.input.push(args[0]);
                log.inFlight++;
                log.maxInFlight = Math.max(log.maxInFlight, log.inFlight);
                return new Promise(resolve => setTimeout(() => { log.inFlight--; resolve(); }, window.inputDelayMs));
            },
        };
        window.element = document.getElementById('term');
        window.handle = terminal.create(window.element, dotnetRef, null);
        window.chunkLimit = terminal.INPUT_CHUNK_BYTES;
        window.terminalModule = terminal;
        window.ready = true;
        </script>
        </body></html>
        """;

    private WebApplication? _app;
    private IPlaywright? _playwright;

    public IBrowser Browser { get; private set; } = default!;

    public string BaseUrl { get; private set; } = "";

    public async Task InitializeAsync()
    {
        if (!TestEnvironment.IsCi && !TestEnvironment.ChromiumAvailable)
        {
            return; // every test skips; see ChromiumFactAttribute
        }

        var wwwroot = FindWwwroot();
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        _app = builder.Build();
        var types = new FileExtensionContentTypeProvider();
        types.Mappings[".mjs"] = "text/javascript";
        _app.UseStaticFiles(new StaticFileOptions { FileProvider = new PhysicalFileProvider(wwwroot), ContentTypeProvider = types });
        _app.MapGet("/", () => Results.Content(TestPage, "text/html; charset=utf-8"));
        await _app.StartAsync();
        BaseUrl = _app.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses.Single();

        _playwright = await Playwright.CreateAsync();
        Browser = await _playwright.Chromium.LaunchAsync(new()
        {
            ExecutablePath = TestEnvironment.ChromiumPath,
            Headless = true,
            Args = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"],
        });
    }

    public async Task<IPage> OpenPageAsync()
    {
        var page = await Browser.NewPageAsync();
        var errors = new List<string>();
        page.PageError += (_, e) => errors.Add(e);
        page.Console += (_, m) => errors.Add($"console.{m.Type}: {m.Text}");
        // This bare page imports terminal.js (and its modules) once, without the app's retrying loader: a request that
        // Chromium fails with ERR_NETWORK_CHANGED (Docker changing the machine's networks for other tests) loses the
        // whole module graph, so the page is loaded again, up to three times.
        for (var attempt = 1; ; attempt++)
        {
            await page.GotoAsync(BaseUrl);
            try
            {
                // Generous: under CI the other test assembly builds images on the same 2 cores.
                await page.WaitForFunctionAsync("() => window.ready === true", null, new() { Timeout = 20_000 });
                return page;
            }
            catch (TimeoutException) when (attempt < 3)
            {
            }
            catch (TimeoutException)
            {
                throw new InvalidOperationException($"terminal.js did not load: {string.Join("; ", errors)}");
            }
        }
    }

    public async Task DisposeAsync()
    {
        if (Browser is not null)
        {
            await Browser.DisposeAsync();
        }

        _playwright?.Dispose();
        if (_app is not null)
        {
            await _app.DisposeAsync();
        }
    }

    private static string FindWwwroot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, "src", "Web", "wwwroot");
            if (File.Exists(Path.Combine(candidate, "lib", "xterm", "xterm.mjs")))
            {
                return candidate;
            }
        }

        throw new InvalidOperationException("src/Web/wwwroot/lib/xterm/xterm.mjs not found above the test folder: build src/Web first.");
    }
}
