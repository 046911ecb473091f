using System.Text;
using Microsoft.Playwright;
using RemoltBlazor.Web.Components.Pages.Workspace.Files;

namespace RemoltBlazor.Web.Tests.Browser;

/// <summary>
/// What the Files tab tests do: open the tab, find rows, drive the name dialog and the editor, run a command in the
/// sandbox (as its user, <c>dev</c>, in <c>~/workspace</c>), and collect console errors and page errors.
/// </summary>
internal sealed class FilesTabPage
{
    public static readonly TimeSpan Wait = TimeSpan.FromSeconds(30);

    private readonly BrowserWorkspace _workspace;

    private FilesTabPage(BrowserWorkspace workspace)
    {
        _workspace = workspace;
        Page.Console += (_, message) =>
        {
            if (Browser.ConsoleErrors.IsPageError(message))
            {
                ConsoleErrors.Add(message.Text);
            }
        };
        Page.PageError += (_, error) => ConsoleErrors.Add(error);
    }

    public IPage Page => _workspace.Page;

    public List<string> ConsoleErrors { get; } = [];

    public ILocator Pane => Page.Locator("[data-testid=files-pane]");

    public ILocator Error => Page.Locator("[data-testid=files-error]");

    public ILocator EditorText => Page.Locator("[data-testid=editor-host] .cm-content");

    public ILocator Dirty => Page.Locator("[data-testid=dirty-marker]");

    public ILocator Conflict => Page.Locator("[data-testid=files-conflict]");

    /// <summary>Starts a session, opens its workspace page and the Files tab, after <paramref name="setup"/> ran in the sandbox.</summary>
    /// <param name="beforeTab">Runs on the page before the Files tab is first shown (which loads its scripts).</param>
    public static async Task<(BrowserWorkspace Workspace, FilesTabPage Files)> OpenAsync(
        ChromiumBrowser chromium, string setup = "true", Func<IPage, Task>? beforeTab = null)
    {
        var workspace = await BrowserWorkspace.StartAsync("claude-code");
        try
        {
            await RunAsync(workspace, setup);
            await workspace.OpenAsync(chromium, ".terminal-pane.active");
            var files = new FilesTabPage(workspace);
            if (beforeTab is not null)
            {
                await beforeTab(files.Page);
            }

            await files.Page.Locator("[role=tab][data-service=files]").GetByRole(AriaRole.Button, new() { Name = "Files" }).ClickAsync();
            await files.Pane.WaitForAsync();
            return (workspace, files);
        }
        catch
        {
            await workspace.DisposeAsync();
            throw;
        }
    }

    /// <summary>Runs a bash script in <c>~/workspace</c> in the sandbox; its stdout.</summary>
    public Task<string> RunAsync(string script) => RunAsync(_workspace, script);

    private static async Task<string> RunAsync(BrowserWorkspace workspace, string script)
    {
        var result = await workspace.App.Runtime.ExecAsync(workspace.Session.SandboxId!, ["bash", "-c", "cd ~/workspace && " + script],
            ReadOnlyMemory<byte>.Empty, CancellationToken.None).WaitAsync(Wait);
        result.ExitCode.ShouldBe(0, Encoding.UTF8.GetString(result.Stderr));
        return Encoding.UTF8.GetString(result.Stdout);
    }

    public ILocator Row(string path) => Page.Locator($"[role=treeitem][data-path=\"{path}\"]");

    /// <summary>Clicks a row (a folder opens or closes, a file opens) and waits for it to be the selected one.</summary>
    public async Task ClickAsync(string path)
    {
        await Row(path).ClickAsync();
        await Page.Locator($"[role=treeitem][aria-selected=true][data-path=\"{path}\"]").WaitForAsync();
    }

    /// <summary>Opens a text file and waits for the editor to show it (and its text to contain <paramref name="text"/>).</summary>
    public async Task OpenAsync(string path, string text)
    {
        await ClickAsync(path);
        await Page.Locator("[data-testid=editor-path]", new() { HasText = path }).WaitForAsync();
        await WaitForEditorTextAsync(text);
    }

    public async Task WaitForEditorTextAsync(string text) =>
        await Page.Locator("[data-testid=editor-host] .cm-content", new() { HasText = text }).WaitForAsync();

    /// <summary>Puts the caret at the end of the document and types.</summary>
    public async Task TypeAtEndAsync(string text)
    {
        await EditorText.ClickAsync();
        await Page.Keyboard.PressAsync("Control+End");
        await Page.Keyboard.TypeAsync(text);
    }

    /// <summary>Clicks a toolbar button that opens the name dialog, types <paramref name="value"/> and confirms with Enter.</summary>
    public async Task NameDialogAsync(string button, string value)
    {
        await Page.Locator(button).ClickAsync();
        var input = Page.Locator("#file-name-input");
        await input.WaitForAsync();
        // The dialog focuses its field (keyboard users type at once); it may take a frame after it appears.
        await Page.WaitForFunctionAsync("() => document.activeElement?.id === 'file-name-input'", null, new() { Timeout = 5000 });
        await input.FillAsync(value);
        await input.PressAsync("Enter");
        await Page.Locator("[data-testid=file-name-dialog]").WaitForAsync(new() { State = WaitForSelectorState.Detached });
    }

    /// <summary>Answers the open message box (Delete, Replace, Discard…) with the button named <paramref name="answer"/>.</summary>
    public Task AnswerAsync(string answer) => Page.Locator(".mud-dialog").GetByRole(AriaRole.Button, new() { Name = answer }).ClickAsync();

    public static string ApiUrl(string sessionId, string path) => WorkspacePaths.ApiUrl(sessionId, path);
}
