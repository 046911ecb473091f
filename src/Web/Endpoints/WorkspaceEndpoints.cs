using Microsoft.AspNetCore.Http.Features;
using RemoltBlazor.Sandboxes.Sessions;
using RemoltBlazor.Sandboxes.Workspace;
using RemoltBlazor.Web.Hosting;
using RemoltBlazor.Web.Realtime;

namespace RemoltBlazor.Web.Endpoints;

/// <summary>
/// <c>GET /api/sessions/{id}/download</c> (a streamed tar.gz) and <c>POST /api/sessions/{id}/upload</c> (a raw gzip
/// body, as the original's frontend sends it). Checks: 404 (someone else's session too), then 400 "Session is not running".
/// </summary>
internal static class WorkspaceEndpoints
{
    public const string ArchiveFileName = "remolt-workspace.tar.gz";

    /// <summary>
    /// What an upload may be sent as. None of them is a CORS "simple" type, so another site cannot post one with the
    /// user's cookie without a preflight (which CORS refuses): a missing or text/form type is refused with 415.
    /// </summary>
    public static readonly IReadOnlyList<string> UploadContentTypes = ["application/gzip", "application/x-gzip", "application/octet-stream"];

    public static IEndpointRouteBuilder MapWorkspaceEndpoints(this IEndpointRouteBuilder routes)
    {
        var group = routes.MapGroup("/api/sessions/{id}").WithTags("Workspace");
        group.MapGet("/download", DownloadAsync).WithSummary("Download the workspace as a tar.gz");
        group.MapPost("/upload", UploadAsync).WithSummary("Upload a tar.gz into the workspace");
        return routes;
    }

    public static string DownloadUrl(string id) => $"/api/sessions/{id}/download";

    /// <summary>
    /// The UI's link: <c>?stamped=true</c> names the file <c>remolt-workspace-{UTC time}.tar.gz</c> as the original
    /// frontend did (it saved a blob; a plain link is named by Content-Disposition, which beats the download attribute).
    /// </summary>
    public static string StampedDownloadUrl(string id) => $"{DownloadUrl(id)}?stamped=true";

    /// <summary><c>2025-01-31T12-34-56</c>: the original's <c>toISOString()</c> with <c>:</c> and <c>.</c> as <c>-</c>, 19 characters.</summary>
    public static string StampedFileName(DateTimeOffset now) =>
        $"remolt-workspace-{now.UtcDateTime.ToString("yyyy-MM-dd'T'HH-mm-ss", System.Globalization.CultureInfo.InvariantCulture)}.tar.gz";

    public static string UploadUrl(string id) => $"/api/sessions/{id}/upload";

    private static async Task DownloadAsync(
        string id, bool? stamped, HttpContext http, SessionManager sessions, WorkspaceTransfer transfer, TimeProvider time)
    {
        var session = Find(id, http, sessions);
        var aborted = http.RequestAborted;
        await using var download = await transfer.StartDownloadAsync(session, aborted);
        http.Features.Get<IHttpResponseBodyFeature>()?.DisableBuffering();
        http.Response.ContentType = "application/gzip";
        var name = stamped == true ? StampedFileName(time.GetUtcNow()) : ArchiveFileName;
        http.Response.Headers.ContentDisposition = $"attachment; filename={name}";
        http.Response.Headers.CacheControl = "no-store";
        try
        {
            await download.CopyToAsync(http.Response.Body, aborted);
        }
        catch (WorkspaceTransferException)
        {
            // The status line is long gone: only a broken connection tells the browser the file is incomplete.
            http.Abort();
        }
        catch (Exception ex) when (aborted.IsCancellationRequested && ex is OperationCanceledException or IOException)
        {
            // The browser cancelled the download; disposing the download stops tar.
        }
    }

    private static async Task<UploadResponse> UploadAsync(
        string id, HttpContext http, SessionManager sessions, WorkspaceTransfer transfer, OriginPolicy origins)
    {
        if (!origins.IsAllowed(http.Request))
        {
            throw new BadHttpRequestException("Invalid origin", StatusCodes.Status403Forbidden);
        }

        var session = Find(id, http, sessions);
        var mediaType = http.Request.ContentType?.Split(';', 2)[0].Trim() ?? "";
        if (!UploadContentTypes.Contains(mediaType, StringComparer.OrdinalIgnoreCase))
        {
            throw new BadHttpRequestException(
                $"Send the .tar.gz as the raw request body with Content-Type application/gzip (got '{mediaType}').",
                StatusCodes.Status415UnsupportedMediaType);
        }

        // The transfer counts against REMOLT_MAX_UPLOAD_BYTES itself (Kestrel's own default is about 28 MiB).
        if (http.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } limit)
        {
            limit.MaxRequestBodySize = null;
        }

        await transfer.UploadAsync(session, http.Request.Body, http.Request.ContentLength, http.RequestAborted);
        return new UploadResponse(true);
    }

    private static Session Find(string id, HttpContext http, SessionManager sessions) =>
        SessionIds.IsWellFormed(id) ? sessions.Get(id, CallerName.Of(http)) : throw new SessionNotFoundException();
}
