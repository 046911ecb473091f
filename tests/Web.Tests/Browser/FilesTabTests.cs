using Microsoft.Playwright;
using RemoltBlazor.TestSupport;

namespace RemoltBlazor.Web.Tests.Browser;

/// <summary>The Files tab's tree in Chromium on a real sandbox: create, rename, move, delete, upload, download, live changes, escapes.</summary>
public sealed class FilesTabTests(ChromiumBrowser chromium) : IClassFixture<ChromiumBrowser>
{
    [BrowserFact]
    public async Task NewFolderAndFile_ThroughTheDialogs_CreatedInTheSandboxAndOpened()
    {
        var (workspace, files) = await FilesTabPage.OpenAsync(chromium);
        await using var _ = workspace;

        await files.NameDialogAsync("#files-new-folder", "src");
        await files.Row("/src").WaitForAsync();
        await files.ClickAsync("/src"); // selected: new things go in it
        await files.NameDialogAsync("#files-new-file", "main.py");

        await files.Row("/src/main.py").WaitForAsync();
        await files.Page.Locator("[data-testid=editor-path]", new() { HasText = "/src/main.py" }).WaitForAsync();
        (await files.RunAsync("test -d src && test -f src/main.py && stat -c %s src/main.py")).Trim().ShouldBe("0");
        files.ConsoleErrors.ShouldBeEmpty();
    }

    [BrowserFact]
    public async Task RenameDragMoveMoveToDelete_EachDoneInTheSandbox()
    {
        var (workspace, files) = await FilesTabPage.OpenAsync(chromium, "mkdir -p dest other && echo one > a.txt && echo two > c.txt");
        await using var _ = workspace;

        await files.ClickAsync("/a.txt");
        await files.NameDialogAsync("#files-rename", "b.txt");
        await files.Row("/b.txt").WaitForAsync();
        await files.Row("/a.txt").WaitForAsync(new() { State = WaitForSelectorState.Detached });
        (await files.RunAsync("cat b.txt; test ! -e a.txt && echo gone")).ShouldBe("one\ngone\n");

        // Drag and drop a row onto a folder: a move.
        await files.Row("/b.txt").DragToAsync(files.Row("/dest"));
        await files.Row("/b.txt").WaitForAsync(new() { State = WaitForSelectorState.Detached });
        (await files.RunAsync("cat dest/b.txt")).ShouldBe("one\n");

        // The keyboard's way: Move to…
        await files.ClickAsync("/c.txt");
        await files.NameDialogAsync("#files-move", "/other");
        await files.Row("/c.txt").WaitForAsync(new() { State = WaitForSelectorState.Detached });
        (await files.RunAsync("cat other/c.txt")).ShouldBe("two\n");

        // Delete asks first; the folder goes with what is in it.
        await files.ClickAsync("/dest");
        await files.Page.Locator("#files-delete").ClickAsync();
        await files.AnswerAsync("Delete");
        await files.Row("/dest").WaitForAsync(new() { State = WaitForSelectorState.Detached });
        (await files.RunAsync("test ! -e dest && echo gone")).ShouldBe("gone\n");
        files.ConsoleErrors.ShouldBeEmpty();
    }

    [BrowserFact]
    public async Task DropFilesFromTheDesktop_UploadedIntoTheFolder_OverwriteAsked()
    {
        var (workspace, files) = await FilesTabPage.OpenAsync(chromium, "mkdir -p inbox");
        await using var _ = workspace;
        var page = files.Page;

        // What a drop from the desktop delivers: a DataTransfer holding File objects (bytes 0..255, so binary).
        static string DropScript(string marker) => $$"""
            () => {
                const bytes = new Uint8Array(256 * 64);
                for (let i = 0; i < bytes.length; i++) bytes[i] = i % 256;
                bytes[0] = {{marker}};
                const transfer = new DataTransfer();
                transfer.items.add(new File([bytes], 'blob.bin', { type: 'application/octet-stream' }));
                return transfer;
            }
            """;
        var transfer = await page.EvaluateHandleAsync(DropScript("7"));
        await files.Row("/inbox").DispatchEventAsync("drop", new { dataTransfer = transfer });

        await page.Locator("[data-testid=files-upload-status]", new() { HasText = "Uploaded blob.bin" }).WaitForAsync();
        await files.Row("/inbox/blob.bin").WaitForAsync();
        (await files.RunAsync("stat -c %s inbox/blob.bin; od -An -tu1 -N3 inbox/blob.bin")).Split('\n', StringSplitOptions.TrimEntries)[..2]
            .ShouldBe(["16384", "7   1   2"]);

        // The same name again: asked; "Cancel" keeps the old file and says why.
        transfer = await page.EvaluateHandleAsync(DropScript("9"));
        await files.Row("/inbox").DispatchEventAsync("drop", new { dataTransfer = transfer });
        await files.AnswerAsync("Cancel");
        await files.Error.Filter(new() { HasText = "exists" }).WaitForAsync();
        (await files.RunAsync("od -An -tu1 -N1 inbox/blob.bin")).Trim().ShouldBe("7");

        // And "Replace" replaces it.
        transfer = await page.EvaluateHandleAsync(DropScript("9"));
        await files.Row("/inbox").DispatchEventAsync("drop", new { dataTransfer = transfer });
        await files.AnswerAsync("Replace");
        await page.Locator("[data-testid=files-upload-status]", new() { HasText = "Uploaded blob.bin" }).WaitForAsync();
        (await files.RunAsync("od -An -tu1 -N1 inbox/blob.bin")).Trim().ShouldBe("9");
    }

    [BrowserFact]
    public async Task DownloadButton_SelectedFile_TheSameBytes()
    {
        var (workspace, files) = await FilesTabPage.OpenAsync(chromium, "head -c 5000 /dev/urandom > data.bin && sha256sum data.bin");
        await using var _ = workspace;
        var expected = (await files.RunAsync("sha256sum data.bin")).Split(' ')[0];

        await files.ClickAsync("/data.bin");
        var download = await files.Page.RunAndWaitForDownloadAsync(() => files.Page.Locator("#files-download").ClickAsync());

        download.SuggestedFilename.ShouldBe("data.bin");
        var path = Path.Combine(Path.GetTempPath(), $"remolt-file-{Guid.NewGuid():N}.bin");
        try
        {
            await download.SaveAsAsync(path);
            Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(await File.ReadAllBytesAsync(path))).ShouldBe(expected);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [BrowserFact]
    public async Task ChangesMadeInTheSandbox_AppearInTheTreeWithoutRefresh()
    {
        var (workspace, files) = await FilesTabPage.OpenAsync(chromium, "mkdir -p src && touch src/keep.txt old.txt");
        await using var _ = workspace;
        await files.ClickAsync("/src");
        await files.Row("/src/keep.txt").WaitForAsync();

        await files.RunAsync("touch src/from-agent.py && mkdir made-by-agent && mv old.txt renamed.txt && rm src/keep.txt");

        await files.Row("/src/from-agent.py").WaitForAsync();
        await files.Row("/made-by-agent").WaitForAsync();
        await files.Row("/renamed.txt").WaitForAsync();
        await files.Row("/old.txt").WaitForAsync(new() { State = WaitForSelectorState.Detached });
        await files.Row("/src/keep.txt").WaitForAsync(new() { State = WaitForSelectorState.Detached });

        // A burst too large to name (more than the watcher's batch limit at once) arrives as "everything changed":
        // the tree lists its folders again.
        await files.RunAsync("touch $(seq -f 'bulk-%g.txt' 1 700)");
        await files.Row("/bulk-700.txt").WaitForAsync();
        await files.Row("/bulk-1.txt").WaitForAsync();
    }

    [BrowserFact]
    public async Task Escapes_SymlinkToEtcAndDotDotName_RefusedWithTheServersDetail()
    {
        var (workspace, files) = await FilesTabPage.OpenAsync(chromium, "ln -s /etc/passwd pw && ln -s /etc etc-link");
        await using var _ = workspace;

        await files.ClickAsync("/pw");
        await files.Error.WaitForAsync();
        (await files.Error.InnerTextAsync()).ShouldContain("workspace");
        (await files.Page.ContentAsync()).ShouldNotContain("root:x:0:0");
        (await files.Page.Locator("[data-testid=editor-path]").CountAsync()).ShouldBe(0);

        await files.Error.GetByRole(AriaRole.Button).ClickAsync(); // dismissed, so the next refusal is a new alert
        await files.Error.WaitForAsync(new() { State = WaitForSelectorState.Detached });
        await files.ClickAsync("/etc-link");
        await files.Error.WaitForAsync();
        (await files.Error.InnerTextAsync()).ShouldContain("workspace");

        await files.Error.GetByRole(AriaRole.Button).ClickAsync();
        await files.Error.WaitForAsync(new() { State = WaitForSelectorState.Detached });
        await files.NameDialogAsync("#files-new-file", "../escaped.txt");
        await files.Error.WaitForAsync();
        (await files.RunAsync("test ! -e ~/escaped.txt && echo not-made")).ShouldBe("not-made\n");
    }
}
