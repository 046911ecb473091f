using RemoltBlazor.Sandboxes.Sessions;

namespace RemoltBlazor.Sandboxes.Files;

// CONTRACT (lead, issue 11): the files helper replaces every body; the UI helper codes against these signatures.
// Paths are relative to ~/workspace ("/" or "" is the workspace itself, "src/a.cs" or "/src/a.cs" a file in it).
public sealed class WorkspaceFiles
{
    /// <summary>Largest file the editor opens and the API reads or writes as text.</summary>
    public long MaxTextBytes => throw new NotImplementedException();

    public Task<IReadOnlyList<FileEntry>> ListAsync(Session session, string path, CancellationToken cancellationToken) => throw new NotImplementedException();

    public Task<FileContent> ReadAsync(Session session, string path, CancellationToken cancellationToken) => throw new NotImplementedException();

    /// <summary>Writes text (creating missing folders); with <paramref name="expectedVersion"/> set, refuses if the file changed.</summary>
    public Task<FileWritten> WriteAsync(Session session, string path, string content, string? expectedVersion, CancellationToken cancellationToken) => throw new NotImplementedException();

    /// <summary>Writes raw bytes (a dropped file); refuses to overwrite unless <paramref name="overwrite"/>.</summary>
    public Task<FileWritten> UploadAsync(Session session, string path, Stream content, long length, bool overwrite, CancellationToken cancellationToken) => throw new NotImplementedException();

    /// <summary>Opens a file's raw bytes for download (any size, streamed).</summary>
    public Task<Stream> OpenReadAsync(Session session, string path, CancellationToken cancellationToken) => throw new NotImplementedException();

    public Task CreateFolderAsync(Session session, string path, CancellationToken cancellationToken) => throw new NotImplementedException();

    /// <summary>Deletes a file or a folder with everything in it. The workspace itself cannot be deleted.</summary>
    public Task DeleteAsync(Session session, string path, CancellationToken cancellationToken) => throw new NotImplementedException();

    /// <summary>Renames or moves; refuses when the target exists.</summary>
    public Task MoveAsync(Session session, string from, string to, CancellationToken cancellationToken) => throw new NotImplementedException();

    /// <summary>Change notifications for the whole workspace, batched; ends when the session ends or the token is cancelled.</summary>
    public IAsyncEnumerable<IReadOnlyList<FileChange>> WatchAsync(Session session, CancellationToken cancellationToken) => throw new NotImplementedException();
}
