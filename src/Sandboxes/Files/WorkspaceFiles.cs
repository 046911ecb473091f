using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using RemoltBlazor.Sandboxes.Runtime;
using RemoltBlazor.Sandboxes.Sessions;
using RemoltBlazor.Sandboxes.Workspace;

namespace RemoltBlazor.Sandboxes.Files;

/// <summary>
/// The files of a session's <c>~/workspace</c>, all through the runtime (<see cref="FileScripts"/> runs in the
/// sandbox as <c>dev</c>). Paths are relative to the workspace ("/" or "" is the workspace itself, "src/a.cs" or
/// "/src/a.cs" a file in it) and confined twice: <see cref="WorkspacePath"/> here, <c>realpath</c> in the sandbox.
/// Writes are atomic (a temporary file in the same folder, then <c>mv</c>) and keep the file's mode. Changes made here
/// count as activity (the idle reaper's clock); listing and reading do not, because an open Files tab re-reads on its
/// own whenever the agent changes something. No events are emitted per file operation: an editor saving every few
/// seconds would flood the event log, which records sessions, not keystrokes.
/// </summary>
public sealed partial class WorkspaceFiles(
    SessionManager sessions,
    ISandboxRuntime runtime,
    IOptions<FilesOptions> options,
    TimeProvider timeProvider,
    ILogger<WorkspaceFiles> logger)
{
    private const int ChunkSize = 64 * 1024;

    /// <summary>Largest file the editor opens and the API reads or writes as text.</summary>
    public long MaxTextBytes => options.Value.MaxTextBytes;

    /// <summary>Largest raw upload.</summary>
    public long MaxUploadBytes => options.Value.MaxUploadBytes;

    /// <summary>The folder's entries, folders first, then by name.</summary>
    public async Task<IReadOnlyList<FileEntry>> ListAsync(Session session, string path, CancellationToken cancellationToken)
    {
        var relative = WorkspacePath.Normalize(path);
        var result = await RunAsync(session, FileScripts.Command("list", relative), ReadOnlyMemory<byte>.Empty, cancellationToken);
        if (result.Truncated)
        {
            throw new FileTooLargeException($"{WorkspacePath.Display(relative)} has too many entries to list.");
        }

        var fields = Encoding.UTF8.GetString(result.Stdout).Split('\0');
        var entries = new List<FileEntry>(fields.Length / 4);
        for (var i = 0; i + 3 < fields.Length; i += 4)
        {
            var type = fields[i] switch
            {
                "d" => FileEntry.DirectoryType,
                "l" => FileEntry.SymlinkType,
                _ => FileEntry.FileType,
            };
            var size = type == FileEntry.DirectoryType ? 0 : long.Parse(fields[i + 1], CultureInfo.InvariantCulture);
            entries.Add(new FileEntry(fields[i + 3], type, size, FileStamp.ParseEpoch(fields[i + 2])));
        }

        return [.. entries
            .OrderBy(e => e.Type == FileEntry.DirectoryType ? 0 : 1)
            .ThenBy(e => e.Name, StringComparer.OrdinalIgnoreCase)
            .ThenBy(e => e.Name, StringComparer.Ordinal)];
    }

    /// <summary>A file's text, or just its facts when it is binary or larger than <see cref="MaxTextBytes"/>.</summary>
    public async Task<FileContent> ReadAsync(Session session, string path, CancellationToken cancellationToken)
    {
        var relative = WorkspacePath.NormalizeEntry(path);
        var max = MaxTextBytes;
        var result = await RunAsync(
            session, FileScripts.Command("read", relative, max.ToString(CultureInfo.InvariantCulture)), ReadOnlyMemory<byte>.Empty, cancellationToken);
        var output = result.Stdout.AsSpan();
        var newline = output.IndexOf((byte)'\n');
        if (newline < 0)
        {
            throw new FileOperationException($"The sandbox did not describe {WorkspacePath.Display(relative)}.");
        }

        var stamp = FileStamp.Parse(Encoding.ASCII.GetString(output[..newline]));
        var content = output[(newline + 1)..];
        var display = WorkspacePath.Display(relative);
        if (stamp.Size > max || content.Length > max)
        {
            // Too large to hold, or it grew past the limit between the stat and the read.
            return new FileContent(display, null, IsBinary: false, TooLarge: true, Math.Max(stamp.Size, content.Length), stamp.Modified, stamp.Version);
        }

        var text = FileText.TryDecode(content);
        return new FileContent(display, text, IsBinary: text is null, TooLarge: false, content.Length, stamp.Modified, FileVersions.OfContent(content));
    }

    /// <summary>Writes text (creating missing folders); with <paramref name="expectedVersion"/> set, refuses if the file changed.</summary>
    public async Task<FileWritten> WriteAsync(Session session, string path, string content, string? expectedVersion, CancellationToken cancellationToken)
    {
        var relative = WorkspacePath.NormalizeEntry(path);
        var expected = FileVersions.Check(expectedVersion);
        byte[] bytes;
        try
        {
            bytes = FileText.Encode(content);
        }
        catch (EncoderFallbackException)
        {
            throw new FileOperationException("The content is not valid Unicode text.");
        }

        if (bytes.Length > MaxTextBytes)
        {
            throw new FileTooLargeException($"The content is {bytes.Length} bytes, more than the editor's limit of {MaxTextBytes} (REMOLT_FILES_MAX_TEXT_BYTES).");
        }

        var result = await RunAsync(
            session, FileScripts.Command("write", relative, expected ?? "", "replace", bytes.Length.ToString(CultureInfo.InvariantCulture)), bytes, cancellationToken);
        sessions.Touch(session);
        var stamp = FileStamp.Parse(Encoding.ASCII.GetString(result.Stdout));
        return new FileWritten(WorkspacePath.Display(relative), stamp.Size, stamp.Modified, FileVersions.OfContent(bytes));
    }

    /// <summary>
    /// Writes raw bytes (a dropped file), exactly <paramref name="length"/> of them, streamed into a temporary file that
    /// replaces the target only once complete; refuses to overwrite unless <paramref name="overwrite"/>.
    /// </summary>
    public async Task<FileWritten> UploadAsync(Session session, string path, Stream content, long length, bool overwrite, CancellationToken cancellationToken)
    {
        var relative = WorkspacePath.NormalizeEntry(path);
        if (length < 0)
        {
            throw new FileOperationException("An upload needs its length (Content-Length).");
        }

        if (length > MaxUploadBytes)
        {
            throw new FileTooLargeException($"The upload is {length} bytes, more than the limit of {MaxUploadBytes} (REMOLT_FILES_MAX_UPLOAD_BYTES).");
        }

        var command = FileScripts.Command("write", relative, "", overwrite ? "replace" : "create", length.ToString(CultureInfo.InvariantCulture));
        await using var process = await StartAsync(session, command, cancellationToken);
        using var hash = length <= MaxTextBytes ? IncrementalHash.CreateHash(HashAlgorithmName.SHA256) : null;
        var output = new MemoryStream();
        var drain = DrainAsync(process.Output, output, cancellationToken);
        var sent = await SendAsync(process, content, length, hash, cancellationToken);
        SandboxProcessExit exit;
        try
        {
            await drain;
            exit = await process.WaitForExitAsync(cancellationToken);
        }
        catch (Exception ex) when (ex is IOException or SandboxRuntimeException)
        {
            throw new FileOperationException($"Writing {WorkspacePath.Display(relative)} failed: the sandbox connection broke.");
        }

        var stdout = output.ToArray();
        if (exit.ExitCode != 0)
        {
            throw Failure(exit.ExitCode, exit.Stderr, stdout);
        }

        if (sent < length)
        {
            // The script cannot have succeeded (it checks the size), but never report a short body as written.
            throw new FileOperationException($"The upload ended after {sent} of {length} bytes.");
        }

        sessions.Touch(session);
        var stamp = FileStamp.Parse(Encoding.ASCII.GetString(stdout));
        return new FileWritten(WorkspacePath.Display(relative), stamp.Size, stamp.Modified, hash is null ? stamp.Version : FileVersions.OfHash(hash.GetHashAndReset()));
    }

    /// <summary>Opens a file's raw bytes for download (any size, streamed); dispose the stream to stop.</summary>
    public async Task<Stream> OpenReadAsync(Session session, string path, CancellationToken cancellationToken)
    {
        var relative = WorkspacePath.NormalizeEntry(path);
        var process = await StartAsync(session, FileScripts.Command("open", relative), cancellationToken);
        try
        {
            // The script says K once the path passed its checks; anything else is an error to report before a response starts.
            var first = new byte[1];
            var read = await process.Output.ReadAtLeastAsync(first, 1, throwOnEndOfStream: false, cancellationToken);
            if (read == 1 && first[0] == (byte)'K')
            {
                sessions.Touch(session);
                return new SandboxReadStream(process);
            }

            var output = new MemoryStream();
            await DrainAsync(process.Output, output, cancellationToken);
            var exit = await process.WaitForExitAsync(cancellationToken);
            throw Failure(exit.ExitCode == 0 ? 1 : exit.ExitCode, exit.Stderr, output.ToArray());
        }
        catch
        {
            await process.DisposeAsync();
            throw;
        }
    }

    /// <summary>Makes a folder (and missing parents); refuses when something already has that name.</summary>
    public async Task CreateFolderAsync(Session session, string path, CancellationToken cancellationToken)
    {
        await RunAsync(session, FileScripts.Command("mkdir", WorkspacePath.NormalizeEntry(path)), ReadOnlyMemory<byte>.Empty, cancellationToken);
        sessions.Touch(session);
    }

    /// <summary>
    /// Deletes a file or a folder with everything in it; a symbolic link is removed itself, its target stays. The
    /// workspace itself cannot be deleted.
    /// </summary>
    public async Task DeleteAsync(Session session, string path, CancellationToken cancellationToken)
    {
        await RunAsync(session, FileScripts.Command("delete", WorkspacePath.NormalizeEntry(path)), ReadOnlyMemory<byte>.Empty, cancellationToken);
        sessions.Touch(session);
    }

    /// <summary>Renames or moves (a link is moved itself); creates the target's folders; refuses when the target exists.</summary>
    public async Task MoveAsync(Session session, string from, string to, CancellationToken cancellationToken)
    {
        var source = WorkspacePath.NormalizeEntry(from);
        var target = WorkspacePath.NormalizeEntry(to);
        if (target == source || target.StartsWith(source + "/", StringComparison.Ordinal))
        {
            throw new FileConflictException($"{WorkspacePath.Display(source)} cannot be moved onto or into itself.");
        }

        await RunAsync(session, FileScripts.Command("move", source, target), ReadOnlyMemory<byte>.Empty, cancellationToken);
        sessions.Touch(session);
    }

    /// <summary>
    /// Change notifications for the whole workspace, batched (about 150 ms); ends when the session ends or the token
    /// is cancelled. <c>.git</c> and <c>node_modules</c> are not watched. See <see cref="WorkspaceWatcher"/>.
    /// </summary>
    public IAsyncEnumerable<IReadOnlyList<FileChange>> WatchAsync(Session session, CancellationToken cancellationToken) =>
        new WorkspaceWatcher(this, session, timeProvider, logger).RunAsync(cancellationToken);

    internal async Task<ExecResult> RunAsync(Session session, IReadOnlyList<string> command, ReadOnlyMemory<byte> stdin, CancellationToken cancellationToken)
    {
        var result = await SessionSandboxCalls.RunAsync(session, logger, id => runtime.ExecAsync(id, command, stdin, cancellationToken));
        return result.ExitCode == 0 ? result : throw Failure(result.ExitCode, Encoding.UTF8.GetString(result.Stderr), result.Stdout);
    }

    internal Task<SandboxProcess> StartAsync(Session session, IReadOnlyList<string> command, CancellationToken cancellationToken) =>
        SessionSandboxCalls.RunAsync(session, logger, id => runtime.StartProcessAsync(id, command, cancellationToken));

    /// <summary>The script's exit code as the API's exception, its stderr (workspace paths shown as the API names them) as the message.</summary>
    private static SessionException Failure(int exitCode, string stderr, byte[] stdout)
    {
        var message = stderr.Trim();
        if (message.Length == 0)
        {
            // Docker reports an exec that could not start (exit 126/127) on stdout.
            message = Encoding.UTF8.GetString(stdout.AsSpan(0, Math.Min(stdout.Length, 2000))).Trim();
        }

        message = message.Replace(WorkspacePath.Root + "/", "/", StringComparison.Ordinal);
        if (message.Length > 2000)
        {
            message = message[..2000] + "…";
        }

        return exitCode switch
        {
            FileScripts.ExitCodes.Outside or FileScripts.ExitCodes.WrongType => new FilePathException(message),
            FileScripts.ExitCodes.NotFound => new FileNotFoundInWorkspaceException(message),
            FileScripts.ExitCodes.Conflict => new FileConflictException(message),
            _ => new FileOperationException(message.Length == 0 ? $"The file operation failed in the sandbox (exit {exitCode})." : message),
        };
    }

    /// <summary>Copies up to <paramref name="length"/> bytes into the process; the count sent (short when the body ended early).</summary>
    private async Task<long> SendAsync(SandboxProcess process, Stream content, long length, IncrementalHash? hash, CancellationToken cancellationToken)
    {
        var buffer = new byte[ChunkSize];
        long sent = 0;
        try
        {
            while (sent < length)
            {
                var read = await content.ReadAsync(buffer.AsMemory(0, (int)Math.Min(buffer.Length, length - sent)), cancellationToken);
                if (read == 0)
                {
                    break;
                }

                hash?.AppendData(buffer, 0, read);
                await process.WriteInputAsync(buffer.AsMemory(0, read), cancellationToken);
                sent += read;
            }

            await process.CompleteInputAsync(cancellationToken);
        }
        catch (Exception ex) when (ex is IOException or SandboxRuntimeException)
        {
            // The script stopped reading (it refused the target early); its exit status says why.
            LogInputRefused(logger, ex.Message);
        }

        return sent;
    }

    /// <summary>Reads to the end, keeping the first 4 KiB (the script prints one short line).</summary>
    private static async Task DrainAsync(Stream output, MemoryStream kept, CancellationToken cancellationToken)
    {
        var buffer = new byte[4096];
        int read;
        while ((read = await output.ReadAsync(buffer, cancellationToken)) > 0)
        {
            kept.Write(buffer, 0, (int)Math.Min(read, Math.Max(0, 4096 - kept.Length)));
        }
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "The sandbox stopped reading an upload: {Reason}")]
    private static partial void LogInputRefused(ILogger logger, string reason);
}
