using RemoltBlazor.Data.Backup;

namespace RemoltBlazor.Web.Endpoints;

/// <summary>
/// <c>POST /api/admin/backup</c>: an online backup of the data folder as a download (<c>remolt-backup-{time}.tar.gz</c>),
/// safe while sessions run. Admins only (others get the 404 of an unknown path); a POST, so a cross-site form cannot
/// make a browser fetch it (the request gate refuses cross-site state changes, and this response carries the keys).
/// </summary>
internal static class BackupEndpoints
{
    public static IEndpointRouteBuilder MapBackupEndpoints(this IEndpointRouteBuilder routes)
    {
        routes.MapGroup("/api/admin").AddEndpointFilter(AdminEndpoints.AdminsOnlyAsync).MapPost("/backup", BackupAsync);
        return routes;
    }

    /// <summary>The database is copied before the response starts, so a failure is a JSON error rather than half a file.</summary>
    private static async Task<IResult> BackupAsync(BackupService backup, HttpContext http)
    {
        var snapshot = await backup.SnapshotAsync(http.RequestAborted);
        http.Response.RegisterForDisposeAsync(snapshot);
        http.Response.Headers.CacheControl = "no-store";
        return TypedResults.Stream(stream => snapshot.WriteArchiveAsync(stream, http.RequestAborted), "application/gzip", snapshot.FileName);
    }
}
