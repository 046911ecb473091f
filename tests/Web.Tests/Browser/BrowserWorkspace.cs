using Microsoft.Playwright;
using RemoltBlazor.Sandboxes.Sessions;
using RemoltBlazor.TestSupport;
using RemoltBlazor.Web.Tests.Hosting;

namespace RemoltBlazor.Web.Tests.Browser;

/// <summary>
/// The preamble every workspace browser test shares: the sandbox image, the app on real Docker, one session, and (in
/// <see cref="OpenAsync"/>) its workspace page in Chromium with the terminal at its prompt. Disposing it stops the app,
/// which ends the session and removes its sandbox.
/// </summary>
internal sealed class BrowserWorkspace : IAsyncDisposable
{
    public static readonly TimeSpan CreateTimeout = TimeSpan.FromSeconds(60);

    private BrowserWorkspace(RemoltAppFactory app, Session session)
    {
        App = app;
        Session = session;
    }

    public RemoltAppFactory App { get; }

    public Session Session { get; }

    /// <summary>The page <see cref="OpenAsync"/> opened last.</summary>
    public IPage Page { get; private set; } = default!;

    /// <summary>Builds the image if needed, starts the app with <paramref name="settings"/> and creates a session of <paramref name="agent"/> (the default agent when null).</summary>
    public static async Task<BrowserWorkspace> StartAsync(string? agent = null, IDictionary<string, string?>? settings = null)
    {
        await SandboxImage.EnsureBuiltAsync();
        var app = new RemoltAppFactory(settings);
        try
        {
            var session = await app.Sessions.CreateAsync("anonymous", new CreateSessionRequest(agent), CancellationToken.None).WaitAsync(CreateTimeout);
            return new BrowserWorkspace(app, session);
        }
        catch
        {
            await app.DisposeAsync();
            throw;
        }
    }

    /// <summary>
    /// Opens the session's workspace page (through <paramref name="address"/>, e.g. a proxy in front of the app, or the
    /// app itself) and waits for the prompt in the terminal <paramref name="scope"/> selects (see <see cref="TerminalPage"/>).
    /// </summary>
    public async Task<TerminalPage> OpenAsync(ChromiumBrowser chromium, string scope = "", Uri? address = null)
    {
        Page = await chromium.NewPageAsync(address ?? App.BaseAddress);
        await Page.GotoAsync($"session/{Session.Id}");
        var terminal = new TerminalPage(Page, scope);
        await terminal.WaitForTextAsync("$ ");
        return terminal;
    }

    public ValueTask DisposeAsync() => App.DisposeAsync();
}
