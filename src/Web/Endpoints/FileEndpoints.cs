using System.Text.Json;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Net.Http.Headers;
using RemoltBlazor.Sandboxes.Files;
using RemoltBlazor.Sandboxes.Sessions;
using RemoltBlazor.Sandboxes.Workspace;
using RemoltBlazor.Web.Hosting;

namespace RemoltBlazor.Web.Endpoints;

/// <summary>
/// The workspace file API under <c>/api/sessions/{id}/files</c> (issue 11; the cc-prod seed's file server): list,
/// read (JSON, or the raw bytes as a download), write text or upload bytes, create, move, delete. Same checks as the
/// other session routes: 404 for an unknown id or someone else's session, 400 "Session is not running"; cross-site
/// state changes are refused by <see cref="RequestGate"/> before they get here, and every body must say what it is
/// (no CORS-simple content type passes as JSON or bytes).
/// </summary>
internal static class FileEndpoints
{
    public const string JsonType = "application/json";
    public const string BytesType = "application/octet-stream";

    public static IEndpointRouteBuilder MapFileEndpoints(this IEndpointRouteBuilder routes)
    {
        var group = routes.MapGroup("/api/sessions/{id}/files").WithTags("Files");
        group.MapGet("", ListAsync).WithSummary("List a folder of the workspace");
        group.MapGet("/{**path}", ReadAsync).WithSummary("Read a file (or list a folder) of the workspace");
        group.MapPut("/{**path}", WriteAsync).WithSummary("Write a file");
        group.MapPost("/{**path}", CreateAsync).WithSummary("Create a file or folder");
        group.MapPatch("/{**path}", MoveAsync).WithSummary("Rename or move a file or folder");
        group.MapDelete("/{**path}", DeleteAsync).WithSummary("Delete a file or folder");
        return routes;
    }

    public static string ListUrl(string id, string path) => $"/api/sessions/{id}/files?path={Uri.EscapeDataString(path)}";

    /// <summary>The URL of a file, each segment escaped (<c>/</c> stays the separator).</summary>
    public static string FileUrl(string id, string path) =>
        $"/api/sessions/{id}/files/{string.Join('/', path.Split('/', StringSplitOptions.RemoveEmptyEntries).Select(Uri.EscapeDataString))}";

    public static string DownloadUrl(string id, string path) => FileUrl(id, path) + "?raw=1";

    private static async Task<IEnumerable<FileEntryResponse>> ListAsync(
        string id, string? path, HttpContext http, SessionManager sessions, WorkspaceFiles files)
    {
        var entries = await files.ListAsync(Find(id, http, sessions), path ?? "/", http.RequestAborted);
        return entries.Select(e => new FileEntryResponse(e.Name, e.Type, e.Size, Epoch(e.Modified)));
    }

    private static async Task<IResult> ReadAsync(
        string id, string? path, string? raw, HttpContext http, SessionManager sessions, WorkspaceFiles files)
    {
        var session = Find(id, http, sessions);
        if (raw is "1" or "true")
        {
            await DownloadAsync(session, path ?? "", http, files);
            return Results.Empty;
        }

        var file = await files.ReadAsync(session, path ?? "", http.RequestAborted);
        return TypedResults.Ok(new FileContentResponse(file.Path, file.Text, file.Size, Epoch(file.Modified), file.Version, file.IsBinary, file.TooLarge));
    }

    /// <summary>
    /// The bytes as an attachment that never renders on the app's origin: whatever a sandbox wrote (an .html with a
    /// script) is a download, not a page (<c>nosniff</c>, and <c>CSP: sandbox</c> should a browser show it anyway).
    /// </summary>
    private static async Task DownloadAsync(Session session, string path, HttpContext http, WorkspaceFiles files)
    {
        var aborted = http.RequestAborted;
        await using var stream = await files.OpenReadAsync(session, path, aborted);
        http.Features.Get<IHttpResponseBodyFeature>()?.DisableBuffering();
        var response = http.Response;
        response.ContentType = BytesType;
        var name = path.Split('/', StringSplitOptions.RemoveEmptyEntries).LastOrDefault() ?? "download";
        var disposition = new ContentDispositionHeaderValue("attachment");
        disposition.SetHttpFileName(name);
        response.Headers.ContentDisposition = disposition.ToString();
        response.Headers.XContentTypeOptions = "nosniff";
        response.Headers.ContentSecurityPolicy = "sandbox";
        response.Headers.CacheControl = "no-store";
        try
        {
            await stream.CopyToAsync(response.Body, aborted);
        }
        catch (Exception ex) when (aborted.IsCancellationRequested && ex is OperationCanceledException or IOException)
        {
            // The browser cancelled; disposing the stream stops cat in the sandbox.
        }
    }

    private static async Task<IResult> WriteAsync(
        string id, string? path, bool? overwrite, HttpContext http, SessionManager sessions, WorkspaceFiles files)
    {
        var session = Find(id, http, sessions);
        var request = http.Request;
        FileWritten written;
        if (MediaType(request) == BytesType)
        {
            if (request.ContentLength is not { } length)
            {
                throw new BadHttpRequestException("Send the file with a Content-Length.", StatusCodes.Status411LengthRequired);
            }

            // The file API counts against REMOLT_FILES_MAX_UPLOAD_BYTES itself (Kestrel's own default is about 28 MiB).
            if (http.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } limit)
            {
                limit.MaxRequestBodySize = null;
            }

            written = await files.UploadAsync(session, path ?? "", request.Body, length, overwrite == true, http.RequestAborted);
        }
        else
        {
            var body = await ReadJsonAsync<FileWriteBody>(http, $"Send JSON {{\"content\": \"...\"}} or the raw bytes as {BytesType}");
            if (body.Content is null)
            {
                throw new BadHttpRequestException("The body needs \"content\" (the file's text).");
            }

            written = await files.WriteAsync(session, path ?? "", body.Content, body.Version, http.RequestAborted);
        }

        return TypedResults.Ok(new FileWrittenResponse(written.Path, written.Size, Epoch(written.Modified), written.Version));
    }

    private static async Task<IResult> CreateAsync(string id, string? path, HttpContext http, SessionManager sessions, WorkspaceFiles files)
    {
        var session = Find(id, http, sessions);
        var body = await ReadJsonAsync<FileCreateBody>(http, "Send JSON {\"type\": \"file\"} or {\"type\": \"directory\"}");
        switch (body.Type)
        {
            case FileEntry.DirectoryType:
                await files.CreateFolderAsync(session, path ?? "", http.RequestAborted);
                break;
            case FileEntry.FileType:
                await files.UploadAsync(session, path ?? "", Stream.Null, 0, overwrite: false, http.RequestAborted);
                break;
            default:
                throw new BadHttpRequestException("\"type\" must be \"file\" or \"directory\".");
        }

        var created = "/" + string.Join('/', (path ?? "").Split('/', StringSplitOptions.RemoveEmptyEntries));
        return TypedResults.Created(FileUrl(id, created), new FilePathResponse(created));
    }

    private static async Task<FilePathResponse> MoveAsync(string id, string? path, HttpContext http, SessionManager sessions, WorkspaceFiles files)
    {
        var session = Find(id, http, sessions);
        var body = await ReadJsonAsync<FileMoveBody>(http, "Send JSON {\"path\": \"new/place\"}");
        if (string.IsNullOrEmpty(body.Path))
        {
            throw new BadHttpRequestException("The body needs \"path\" (the new place in the workspace).");
        }

        await files.MoveAsync(session, path ?? "", body.Path, http.RequestAborted);
        return new FilePathResponse("/" + string.Join('/', body.Path.Split('/', StringSplitOptions.RemoveEmptyEntries)));
    }

    private static async Task<UploadResponse> DeleteAsync(string id, string? path, HttpContext http, SessionManager sessions, WorkspaceFiles files)
    {
        await files.DeleteAsync(Find(id, http, sessions), path ?? "", http.RequestAborted);
        return new UploadResponse(true);
    }

    /// <summary>
    /// The body as JSON, only when it says it is JSON: a form or text/plain body can come from another site's page
    /// without a preflight, so it is refused with 415 whatever it contains.
    /// </summary>
    private static async Task<T> ReadJsonAsync<T>(HttpContext http, string hint)
    {
        var mediaType = MediaType(http.Request);
        if (mediaType != JsonType)
        {
            throw new BadHttpRequestException($"{hint} (got '{mediaType}').", StatusCodes.Status415UnsupportedMediaType);
        }

        try
        {
            return await http.Request.ReadFromJsonAsync<T>(http.RequestAborted)
                ?? throw new BadHttpRequestException("Invalid JSON body: expected a JSON object.");
        }
        catch (JsonException ex)
        {
            throw new BadHttpRequestException("Invalid JSON body.", ex);
        }
    }

    private static string MediaType(HttpRequest request) => request.ContentType?.Split(';', 2)[0].Trim().ToLowerInvariant() ?? "";

    private static double Epoch(DateTimeOffset time) => time.ToUnixTimeMilliseconds() / 1000.0;

    private static Session Find(string id, HttpContext http, SessionManager sessions) =>
        SessionIds.IsWellFormed(id) ? sessions.Get(id, CallerName.Of(http)) : throw new SessionNotFoundException();
}
