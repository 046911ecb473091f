using Bunit;
using RemoltBlazor.Web.Components.Pages.Workspace;

namespace RemoltBlazor.Web.Tests.Components.Pages.Workspace;

/// <summary>The toolbar's links and upload status; the upload itself (transfer.js) is for the browser tests.</summary>
public sealed class WorkspaceToolbarTests
{
    private const string SessionId = "0123456789abcdef0123456789abcdef";

    [Fact]
    public async Task Render_GivesDownloadLinkAndStartsTheUploaderOnTheUploadUrl()
    {
        await using var ctx = await ComponentTestContext.CreateAsync();
        var transfer = ctx.JSInterop.SetupModule("./js/transfer.js");

        var cut = ctx.Render<WorkspaceToolbar>(p => p.Add(t => t.SessionId, SessionId));

        var download = cut.Find("#download-workspace");
        download.GetAttribute("href").ShouldBe($"/api/sessions/{SessionId}/download?stamped=true");
        download.HasAttribute("download").ShouldBeTrue();
        cut.Find("#upload-workspace input[type=file]").GetAttribute("accept").ShouldBe(WorkspaceToolbar.Accept);
        transfer.VerifyInvoke("init").Arguments[2].ShouldBe($"/api/sessions/{SessionId}/upload");
        cut.FindAll("[data-testid=upload-status]").ShouldBeEmpty();
    }

    [Fact]
    public async Task Upload_Progress_SaysHowFarThenThatItExtracts()
    {
        await using var ctx = await ComponentTestContext.CreateAsync();
        var cut = ctx.Render<WorkspaceToolbar>(p => p.Add(t => t.SessionId, SessionId));

        await cut.InvokeAsync(() => cut.Instance.OnUploadStarted("ws.tar.gz", 2048));
        Status(cut).ShouldBe("Uploading ws.tar.gz (2 KiB)…");
        cut.Find("#upload-workspace").TextContent.Trim().ShouldBe("Uploading…");
        cut.Find("#upload-workspace input[type=file]").HasAttribute("disabled").ShouldBeTrue();
        DismissButtons(cut).ShouldBeEmpty();

        await cut.InvokeAsync(() => cut.Instance.OnUploadProgress(512, 1024));
        Status(cut).ShouldBe("Uploading… 50%");

        await cut.InvokeAsync(() => cut.Instance.OnUploadProgress(1024, 1024));
        Status(cut).ShouldBe("Extracting…");
    }

    [Fact]
    public async Task Upload_Finished_SaysSoUntilDismissed()
    {
        await using var ctx = await ComponentTestContext.CreateAsync();
        var cut = ctx.Render<WorkspaceToolbar>(p => p.Add(t => t.SessionId, SessionId));
        await cut.InvokeAsync(() => cut.Instance.OnUploadStarted("ws.tar.gz", 3 * 1024 * 1024));

        await cut.InvokeAsync(() => cut.Instance.OnUploadFinished(200, "", "ws.tar.gz"));

        Status(cut).ShouldBe("Uploaded ws.tar.gz into the workspace.");
        cut.Find("#upload-workspace").TextContent.Trim().ShouldBe("Upload");
        await DismissButtons(cut).ShouldHaveSingleItem().ClickAsync(new());
        cut.FindAll("[data-testid=upload-status]").ShouldBeEmpty();
    }

    [Theory]
    [InlineData(413, "Archive too large", "Upload failed (413): Archive too large")]
    [InlineData(0, "network error", "Upload failed: network error")]
    public async Task Upload_Failed_SaysWhy(int status, string detail, string expected)
    {
        await using var ctx = await ComponentTestContext.CreateAsync();
        var cut = ctx.Render<WorkspaceToolbar>(p => p.Add(t => t.SessionId, SessionId));
        await cut.InvokeAsync(() => cut.Instance.OnUploadStarted("ws.tar.gz", 10));

        await cut.InvokeAsync(() => cut.Instance.OnUploadFinished(status, detail, "ws.tar.gz"));

        Status(cut).ShouldBe(expected);
    }

    private static string Status(IRenderedComponent<WorkspaceToolbar> cut)
    {
        var status = cut.Find("[data-testid=upload-status]");
        status.GetAttribute("role").ShouldBe("status");
        return status.TextContent.Trim();
    }

    private static List<AngleSharp.Dom.IElement> DismissButtons(IRenderedComponent<WorkspaceToolbar> cut) =>
        [.. cut.FindAll("[data-testid=upload-status] button[aria-label=Close]")]; // the status alert's close button
}
