using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using RemoltBlazor.Data.Events;
using RemoltBlazor.Sandboxes.Runtime;
using RemoltBlazor.Sandboxes.Sessions;

namespace RemoltBlazor.Sandboxes.Workspace;

/// <summary>
/// Workspace download (a streamed <c>tar czf</c> of <c>~/workspace</c> and <c>~/.openclaw</c>) and upload (the body
/// kept in a temporary file, validated whole, then streamed into <c>tar xzf</c> as <c>dev</c> with its exit status
/// checked). Unlike the original (section 12, item 15) uploads have a size limit, and failures are reported both ways.
/// </summary>
public sealed partial class WorkspaceTransfer(
    SessionManager sessions,
    ISandboxRuntime runtime,
    EventLog events,
    IOptions<WorkspaceOptions> options,
    WorkspaceUploadSlots uploads,
    ILogger<WorkspaceTransfer> logger)
{
    private const int ChunkSize = 64 * 1024;

    // bash -c, not -lc: a login shell's profile could print to stdout, into the archive.
    private const string DownloadScript =
        "cd /home/dev || exit 3; "
        + "if [ ! -d workspace ]; then echo 'The sandbox has no ~/workspace folder.' >&2; exit 3; fi; "
        + "set -- workspace; if [ -e .openclaw ]; then set -- \"$@\" .openclaw; fi; "
        + "exec tar -czf - \"$@\"";

    // What is on disk counts too: a link left by an earlier upload (or made in the sandbox) that an entry's folder
    // would go through is refused, so two harmless-looking uploads cannot chain out of the extraction root.
    private const string LinkCheckScript =
        "root=\"$1\"; if [ -L \"$root\" ]; then printf '%s' \"$root\"; exit 3; fi; cd -- \"$root\" 2>/dev/null || exit 0; "
        + "while IFS= read -r -d '' folder; do if [ -L \"$folder\" ]; then printf '%s' \"$folder\"; exit 3; fi; done; exit 0";

    private const string ExtractScript = "mkdir -p -- \"$1\" && exec tar -xzf - -C \"$1\" --no-same-owner";

    // Extraction goes on when the client leaves after sending everything: stopping half-way would leave half a tree.
    private static readonly TimeSpan s_extractTimeout = TimeSpan.FromMinutes(30);

    public long MaxUploadBytes => options.Value.MaxUploadBytes;

    /// <summary>Starts packing; throws before any output when the sandbox is gone or tar fails at once.</summary>
    public async Task<WorkspaceDownload> StartDownloadAsync(Session session, CancellationToken cancellationToken)
    {
        var process = await StartAsync(session, ["bash", "-c", DownloadScript], cancellationToken);
        sessions.Touch(session);
        try
        {
            return await WorkspaceDownload.StartAsync(process, (bytes, exitCode, stderr) => DownloadFinishedAsync(session, bytes, exitCode, stderr), cancellationToken);
        }
        catch
        {
            await process.DisposeAsync();
            throw;
        }
    }

    /// <summary>Receives, validates and extracts an upload. Nothing is extracted unless the whole archive passed.</summary>
    public async Task<WorkspaceArchiveSummary> UploadAsync(Session session, Stream body, long? declaredLength, CancellationToken cancellationToken)
    {
        var settings = options.Value;
        var sandboxId = session.SandboxId ?? throw new SessionNotRunningException();
        if (declaredLength > settings.MaxUploadBytes)
        {
            await RejectedAsync(session, declaredLength.Value, "too_large");
            throw TooLarge(settings.MaxUploadBytes);
        }

        IDisposable slot;
        try
        {
            slot = uploads.Enter(session.Id);
        }
        catch (WorkspaceUploadBusyException)
        {
            await RejectedAsync(session, declaredLength ?? -1, "busy");
            throw;
        }

        using var held = slot;
        await using var file = WorkspaceUploadFiles.Create(ChunkSize);
        var size = await ReceiveAsync(body, file, settings.MaxUploadBytes, cancellationToken);
        if (size < 0)
        {
            await RejectedAsync(session, -size, "too_large");
            throw TooLarge(settings.MaxUploadBytes);
        }

        file.Position = 0;
        WorkspaceArchiveSummary summary;
        try
        {
            // Decompressing a large archive is seconds of CPU: off the request's thread.
            summary = await Task.Run(() => WorkspaceArchiveValidator.Validate(file, settings.MaxUnpackedBytes), cancellationToken);
        }
        catch (Exception ex) when (ex is WorkspaceArchiveException or WorkspaceUploadTooLargeException)
        {
            await RejectedAsync(session, size, ex is WorkspaceArchiveException ? "invalid" : "too_large_unpacked");
            throw;
        }

        await RejectLinksOnDiskAsync(session, summary, size, cancellationToken);
        using var timeout = new CancellationTokenSource(s_extractTimeout);
        await ExtractAsync(session, sandboxId, file, summary, timeout.Token);
        sessions.Touch(session);
        LogUploaded(logger, session.Id, size, summary.Entries, summary.RootPath);
        await events.EmitAsync("workspace.uploaded", EventFields.Of(
            ("session_id", session.Id), ("bytes", size), ("entries", summary.Entries), ("unpacked_bytes", summary.UnpackedBytes)));
        return summary;
    }

    /// <summary>Copies the body to the file; the negated count read so far once it passes <paramref name="limit"/>.</summary>
    private static async Task<long> ReceiveAsync(Stream body, Stream file, long limit, CancellationToken cancellationToken)
    {
        var buffer = new byte[ChunkSize];
        long total = 0;
        while (true)
        {
            var read = await body.ReadAsync(buffer, cancellationToken);
            if (read == 0)
            {
                await file.FlushAsync(cancellationToken);
                return total;
            }

            total += read;
            if (total > limit)
            {
                return -total;
            }

            await file.WriteAsync(buffer.AsMemory(0, read), cancellationToken);
        }
    }

    private async Task ExtractAsync(Session session, string sandboxId, FileStream file, WorkspaceArchiveSummary summary, CancellationToken cancellationToken)
    {
        await using var process = await StartAsync(session, ["bash", "-c", ExtractScript, "remolt-upload", summary.RootPath], cancellationToken);
        var stdout = new MemoryStream();
        var drain = DrainAsync(process.Output, stdout, cancellationToken);
        var buffer = new byte[ChunkSize];
        try
        {
            int read;
            while ((read = await file.ReadAsync(buffer, cancellationToken)) > 0)
            {
                await process.WriteInputAsync(buffer.AsMemory(0, read), cancellationToken);
            }

            await process.CompleteInputAsync(cancellationToken);
        }
        catch (Exception ex) when (ex is IOException or SandboxRuntimeException)
        {
            // tar stopped reading (it failed); its exit status and stderr below say why.
            LogExtractInputFailed(logger, session.Id, sandboxId, ex.Message);
        }

        SandboxProcessExit exit;
        try
        {
            await drain;
            exit = await process.WaitForExitAsync(cancellationToken);
        }
        catch (Exception ex) when (ex is IOException or SandboxRuntimeException)
        {
            await events.EmitAsync("workspace.upload_failed", EventFields.Of(("session_id", session.Id), ("exit_code", -1)));
            throw new WorkspaceTransferException("Extracting the archive failed: the sandbox connection broke.", ex);
        }

        if (exit.ExitCode != 0)
        {
            LogExtractFailed(logger, session.Id, exit.ExitCode);
            await events.EmitAsync("workspace.upload_failed", EventFields.Of(("session_id", session.Id), ("exit_code", exit.ExitCode)));
            // Docker reports an exec that could not start (exit 126, e.g. a deleted working folder) on stdout.
            var output = System.Text.Encoding.UTF8.GetString(stdout.ToArray());
            throw new WorkspaceTransferException(
                WorkspaceDownload.Describe("Extracting the archive failed", exit with { Stderr = (output + "\n" + exit.Stderr).Trim() }), exit.ExitCode);
        }
    }

    /// <exception cref="WorkspaceArchiveException">A folder the archive writes into is a symbolic link in the sandbox.</exception>
    private async Task RejectLinksOnDiskAsync(Session session, WorkspaceArchiveSummary summary, long size, CancellationToken cancellationToken)
    {
        var folders = System.Text.Encoding.UTF8.GetBytes(string.Concat(summary.Folders.Select(f => f + '\0')));
        var result = await SessionSandboxCalls.RunAsync(session, logger, id =>
            runtime.ExecAsync(id, ["bash", "-c", LinkCheckScript, "remolt-upload", summary.RootPath], folders, cancellationToken));

        if (result.ExitCode == 3)
        {
            var link = System.Text.Encoding.UTF8.GetString(result.Stdout);
            await RejectedAsync(session, size, "link_on_disk");
            throw new WorkspaceArchiveException(
                $"The archive writes into '{link}', which is a symbolic link in the sandbox; uploads never write through links (remove it first).");
        }

        if (result.ExitCode != 0)
        {
            throw new WorkspaceTransferException($"Checking the upload against the sandbox's files failed (exit {result.ExitCode}).", result.ExitCode);
        }
    }

    /// <summary>Reads tar's stdout to its end, keeping the first 4 KiB (it prints nothing unless something is wrong).</summary>
    private static async Task DrainAsync(Stream output, MemoryStream kept, CancellationToken cancellationToken)
    {
        var buffer = new byte[4096];
        int read;
        while ((read = await output.ReadAsync(buffer, cancellationToken)) > 0)
        {
            kept.Write(buffer, 0, (int)Math.Min(read, Math.Max(0, 4096 - kept.Length)));
        }
    }

    private Task<SandboxProcess> StartAsync(Session session, IReadOnlyList<string> command, CancellationToken cancellationToken) =>
        SessionSandboxCalls.RunAsync(session, logger, id => runtime.StartProcessAsync(id, command, cancellationToken));

    private async Task DownloadFinishedAsync(Session session, long bytes, int exitCode, string stderr)
    {
        sessions.Touch(session);
        if (exitCode is 0 or 1)
        {
            await events.EmitAsync("workspace.downloaded", EventFields.Of(("session_id", session.Id), ("bytes", bytes)));
            return;
        }

        LogDownloadFailed(logger, session.Id, exitCode, bytes, stderr.Trim());
        await events.EmitAsync("workspace.download_failed", EventFields.Of(("session_id", session.Id), ("exit_code", exitCode), ("bytes", bytes)));
    }

    private Task RejectedAsync(Session session, long bytes, string reason) =>
        events.EmitAsync("workspace.upload_rejected", EventFields.Of(("session_id", session.Id), ("bytes", bytes), ("reason", reason)));

    private static WorkspaceUploadTooLargeException TooLarge(long limit) =>
        new($"The upload is larger than the limit of {limit} bytes (REMOLT_MAX_UPLOAD_BYTES).");

    [LoggerMessage(Level = LogLevel.Information, Message = "Upload into {SessionId}: {Bytes} bytes, {Entries} entries, extracted at {Root}")]
    private static partial void LogUploaded(ILogger logger, string sessionId, long bytes, int entries, string root);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Extracting an upload into {SessionId} failed with tar exit {ExitCode}")]
    private static partial void LogExtractFailed(ILogger logger, string sessionId, int exitCode);

    [LoggerMessage(Level = LogLevel.Information, Message = "tar in {SessionId} ({SandboxId}) stopped reading the upload: {Reason}")]
    private static partial void LogExtractInputFailed(ILogger logger, string sessionId, string sandboxId, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Download of {SessionId} failed with tar exit {ExitCode} after {Bytes} bytes: {Stderr}")]
    private static partial void LogDownloadFailed(ILogger logger, string sessionId, int exitCode, long bytes, string stderr);
}
