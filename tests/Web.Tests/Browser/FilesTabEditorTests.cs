using Microsoft.Playwright;
using RemoltBlazor.TestSupport;

namespace RemoltBlazor.Web.Tests.Browser;

/// <summary>The Files tab's editor in Chromium on a real sandbox: edit and save, highlighting, live reload, conflicts, binary files, the phone layout.</summary>
public sealed class FilesTabEditorTests(ChromiumBrowser chromium) : IClassFixture<ChromiumBrowser>
{
    [BrowserFact]
    public async Task OpenEditSave_CtrlSAndButton_WrittenInTheSandbox()
    {
        var (workspace, files) = await FilesTabPage.OpenAsync(chromium, "mkdir -p src && printf 'def greet():\\n    return \"hello\"\\n' > src/app.py");
        await using var _ = workspace;
        await files.ClickAsync("/src");
        await files.OpenAsync("/src/app.py", "return");

        // Highlighted by the grammar @codemirror/language-data picks for .py (a keyword span, not plain text).
        await files.Page.Locator("[data-testid=editor-host] .cm-line span", new() { HasText = "def" }).First.WaitForAsync();

        await files.TypeAtEndAsync("print(greet())");
        await files.Dirty.WaitForAsync();
        await Screenshots.SaveAsync(files.Page, "files-desktop");
        await files.Page.Keyboard.PressAsync("Control+s");
        await files.Dirty.WaitForAsync(new() { State = WaitForSelectorState.Detached });
        (await files.RunAsync("tail -n 1 src/app.py")).ShouldBe("print(greet())");

        await files.Page.Keyboard.TypeAsync("\n# saved by the button\n");
        await files.Dirty.WaitForAsync();
        await files.Page.Locator("#files-save").ClickAsync();
        await files.Dirty.WaitForAsync(new() { State = WaitForSelectorState.Detached });
        (await files.RunAsync("cat src/app.py")).ShouldContain("print(greet())\n# saved by the button\n");

        // Ctrl+S with the focus in the tree saves too (and the browser does not offer to save the page).
        await files.TypeAtEndAsync("# saved from the tree");
        await files.Dirty.WaitForAsync();
        await files.Page.Locator("[role=tree]").FocusAsync();
        await files.Page.Keyboard.PressAsync("Control+s");
        await files.Dirty.WaitForAsync(new() { State = WaitForSelectorState.Detached });
        (await files.RunAsync("tail -n 1 src/app.py")).ShouldBe("# saved from the tree");
        files.ConsoleErrors.ShouldBeEmpty();
    }

    [BrowserFact]
    public async Task Save_LargerThanTheCircuitCap_SavedWholeAndTheCircuitLives()
    {
        // 200 KB of text: far more than the 32 KiB a browser-to-server circuit message may carry.
        var (workspace, files) = await FilesTabPage.OpenAsync(chromium, "for i in $(seq 1 4000); do echo \"line $i of a long file padded out a bit\"; done > big.txt");
        await using var _ = workspace;
        await files.OpenAsync("/big.txt", "line 1 ");

        await files.TypeAtEndAsync("the end");
        await files.Dirty.WaitForAsync(); // else "no dirty marker" below could be the moment before it appears
        await files.Page.Keyboard.PressAsync("Control+s");
        await files.Dirty.WaitForAsync(new() { State = WaitForSelectorState.Detached });

        (await files.RunAsync("wc -l < big.txt; tail -c 7 big.txt")).ShouldBe("4000\nthe end");
        await files.NameDialogAsync("#files-new-folder", "still-connected"); // the circuit still answers
        await files.Row("/still-connected").WaitForAsync();
    }

    [BrowserFact]
    public async Task Tabs_TwoFiles_EachKeepsItsEditsAndClosingADirtyOneAsks()
    {
        var (workspace, files) = await FilesTabPage.OpenAsync(chromium, "echo 'first file' > one.txt && echo 'second file' > two.js");
        await using var _ = workspace;
        var page = files.Page;
        await files.OpenAsync("/one.txt", "first file");
        await files.TypeAtEndAsync("edited one");
        await files.Dirty.WaitForAsync();

        await files.OpenAsync("/two.js", "second file");
        (await files.EditorText.InnerTextAsync()).ShouldNotContain("edited one");
        (await files.Dirty.CountAsync()).ShouldBe(0);
        (await page.Locator(".editor-tab").AllInnerTextsAsync()).Select(t => t.Replace("×", "").Trim()).ShouldBe(["one.txt", "two.js"]);

        await page.Locator(".editor-tab[data-path=\"/one.txt\"] .editor-tab-name").ClickAsync();
        await files.WaitForEditorTextAsync("edited one");
        await files.Dirty.WaitForAsync();
        await page.Keyboard.PressAsync("Control+z"); // undo history is per file
        await files.Dirty.WaitForAsync(new() { State = WaitForSelectorState.Detached });
        await files.TypeAtEndAsync("again");

        await page.GetByRole(AriaRole.Button, new() { Name = "Close one.txt" }).ClickAsync();
        await files.AnswerAsync("Cancel");
        await files.WaitForEditorTextAsync("again");
        await page.GetByRole(AriaRole.Button, new() { Name = "Close one.txt" }).ClickAsync();
        await files.AnswerAsync("Close");
        await files.WaitForEditorTextAsync("second file");
        (await page.Locator(".editor-tab").CountAsync()).ShouldBe(1);
        (await files.RunAsync("cat one.txt")).ShouldBe("first file\n"); // closed without saving
        files.ConsoleErrors.ShouldBeEmpty();
    }

    [BrowserFact]
    public async Task FileChangedBySandbox_CleanEditor_ReloadsSilently()
    {
        var (workspace, files) = await FilesTabPage.OpenAsync(chromium, "echo 'first version' > live.txt");
        await using var _ = workspace;
        await files.OpenAsync("/live.txt", "first version");

        await files.RunAsync("echo 'written by the agent' > live.txt");

        await files.WaitForEditorTextAsync("written by the agent");
        (await files.Conflict.CountAsync()).ShouldBe(0);
        (await files.Dirty.CountAsync()).ShouldBe(0);
    }

    [BrowserFact]
    public async Task FileChangedBySandbox_UnsavedEdits_ConflictThenOverwriteWithMine()
    {
        var (workspace, files) = await FilesTabPage.OpenAsync(chromium, "echo 'base' > notes.md");
        await using var _ = workspace;
        await files.OpenAsync("/notes.md", "base");
        await files.TypeAtEndAsync("mine");
        await files.Dirty.WaitForAsync();

        await files.RunAsync("echo 'theirs' > notes.md");

        await files.Conflict.WaitForAsync();
        await Screenshots.SaveAsync(files.Page, "files-conflict");
        (await files.EditorText.InnerTextAsync()).ShouldContain("mine"); // nothing lost
        await files.Page.Locator("#conflict-overwrite").ClickAsync();
        await files.Conflict.WaitForAsync(new() { State = WaitForSelectorState.Detached });
        await files.Dirty.WaitForAsync(new() { State = WaitForSelectorState.Detached });
        (await files.RunAsync("cat notes.md")).ShouldBe("base\nmine");
    }

    [BrowserFact]
    public async Task SaveAfterAnUnseenChange_409_ConflictThenReloadTheirs()
    {
        var (workspace, files) = await FilesTabPage.OpenAsync(chromium, "echo 'base' > notes.md");
        await using var _ = workspace;
        await files.OpenAsync("/notes.md", "base");
        await files.TypeAtEndAsync("mine");
        await files.Dirty.WaitForAsync();

        // Written with the watcher's notification racing the save: the conflict comes from one or the other.
        await files.RunAsync("echo 'theirs' > notes.md");
        await files.Page.Keyboard.PressAsync("Control+s");

        await files.Conflict.WaitForAsync();
        (await files.RunAsync("cat notes.md")).ShouldBe("theirs\n"); // the save did not clobber it
        await files.Page.Locator("#conflict-reload").ClickAsync();
        await files.WaitForEditorTextAsync("theirs");
        (await files.EditorText.InnerTextAsync()).ShouldNotContain("mine");
        (await files.Dirty.CountAsync()).ShouldBe(0);
    }

    [BrowserFact]
    public async Task BinaryFile_PanelWithSizeAndDownloadInsteadOfText()
    {
        var (workspace, files) = await FilesTabPage.OpenAsync(chromium, "head -c 1258291 /dev/urandom > photo.raw && printf '\\0' >> photo.raw");
        await using var _ = workspace;

        await files.ClickAsync("/photo.raw");

        var panel = files.Page.Locator("[data-testid=files-not-text]");
        await panel.WaitForAsync();
        (await panel.InnerTextAsync()).ShouldContain("Binary file, 1.2 MB");
        (await panel.GetByRole(AriaRole.Link, new() { Name = "Download" }).GetAttributeAsync("href")).ShouldEndWith("/files/photo.raw?raw=1");
        (await files.Page.Locator("[data-testid=editor-host].shown").CountAsync()).ShouldBe(0);
    }

    [BrowserFact]
    public async Task Phone_TreeThenEditorThenBack_KeyboardOpensFiles()
    {
        var (workspace, files) = await FilesTabPage.OpenAsync(chromium, "mkdir -p src && echo 'phone text' > src/a.txt && echo b > b.txt");
        await using var _ = workspace;
        var page = files.Page;
        await page.SetViewportSizeAsync(390, 844);

        // Keyboard: focusing the tree selects its first row, Right opens the folder, Down to its file, Enter opens it.
        await files.Row("/b.txt").WaitForAsync(); // listed
        await page.Locator("[role=tree]").FocusAsync();
        await page.Locator("[role=treeitem][aria-selected=true][data-path=\"/src\"]").WaitForAsync();
        await page.Keyboard.PressAsync("ArrowRight");
        await files.Row("/src/a.txt").WaitForAsync();
        await page.Keyboard.PressAsync("ArrowDown");
        await Screenshots.SaveAsync(page, "files-phone-tree");
        await page.Keyboard.PressAsync("Enter");
        await files.WaitForEditorTextAsync("phone text");

        (await page.Locator(".explorer").IsVisibleAsync()).ShouldBeFalse(); // the editor takes the screen
        // The pane fits the phone's width (the workspace bar above it is the workspace page's).
        (await files.Pane.EvaluateAsync<bool>("e => e.scrollWidth <= e.clientWidth && e.getBoundingClientRect().right <= window.innerWidth")).ShouldBeTrue();
        await Screenshots.SaveAsync(page, "files-phone-editor");
        await page.GetByRole(AriaRole.Button, new() { Name = "Back to the files" }).ClickAsync();
        await page.Locator(".explorer").WaitForAsync();
        files.ConsoleErrors.ShouldBeEmpty();
    }
}
