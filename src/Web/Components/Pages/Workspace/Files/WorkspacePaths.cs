using System.Globalization;

namespace RemoltBlazor.Web.Components.Pages.Workspace.Files;

/// <summary>
/// The Files tab's paths: relative to <c>~/workspace</c> with a leading <c>/</c> (<c>/</c> is the workspace itself), as
/// the file API and its change notifications name them. Only joins and splits: confinement is the server's job.
/// </summary>
public static class WorkspacePaths
{
    public const string Root = "/";

    public static string Normalize(string path)
    {
        var trimmed = path.Trim().Trim('/');
        return trimmed.Length == 0 ? Root : "/" + trimmed;
    }

    public static string Join(string folder, string name) => Normalize(Normalize(folder).TrimEnd('/') + "/" + name.Trim().Trim('/'));

    public static string Parent(string path)
    {
        var normalized = Normalize(path);
        var slash = normalized.LastIndexOf('/');
        return slash <= 0 ? Root : normalized[..slash];
    }

    public static string Name(string path)
    {
        var normalized = Normalize(path);
        return normalized == Root ? "workspace" : normalized[(normalized.LastIndexOf('/') + 1)..];
    }

    /// <summary>True when <paramref name="path"/> is <paramref name="folder"/> or inside it.</summary>
    public static bool IsWithin(string path, string folder)
    {
        var p = Normalize(path);
        var f = Normalize(folder);
        return f == Root || p == f || p.StartsWith(f + "/", StringComparison.Ordinal);
    }

    /// <summary>The file API's address of a path: each segment escaped, so <c>#</c>, <c>?</c> and spaces survive.</summary>
    public static string ApiUrl(string sessionId, string path) =>
        $"/api/sessions/{sessionId}/files/" + string.Join('/', Normalize(path).Trim('/').Split('/').Select(Uri.EscapeDataString));

    /// <summary>The single-file download link (<c>?raw=1</c>: the bytes as an attachment).</summary>
    public static string DownloadUrl(string sessionId, string path) => ApiUrl(sessionId, path) + "?raw=1";

    public static string Size(long bytes) => bytes switch
    {
        < 1024 => string.Create(CultureInfo.InvariantCulture, $"{bytes} B"),
        < 1024 * 1024 => string.Create(CultureInfo.InvariantCulture, $"{bytes / 1024.0:0.#} KB"),
        _ => string.Create(CultureInfo.InvariantCulture, $"{bytes / (1024.0 * 1024):0.#} MB"),
    };
}
