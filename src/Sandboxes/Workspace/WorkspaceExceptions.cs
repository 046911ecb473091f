using RemoltBlazor.Sandboxes.Sessions;

namespace RemoltBlazor.Sandboxes.Workspace;

/// <summary>400 "Session is not running": the session exists but its sandbox is stopped or gone.</summary>
public sealed class SessionNotRunningException : SessionException
{
    public SessionNotRunningException() : base("Session is not running") { }

    public SessionNotRunningException(Exception inner) : base("Session is not running", inner) { }
}

/// <summary>400: the uploaded archive is not a gzip tarball, or an entry would land outside the workspace.</summary>
public sealed class WorkspaceArchiveException : SessionException
{
    public WorkspaceArchiveException(string message) : base(message) { }

    public WorkspaceArchiveException(string message, Exception inner) : base(message, inner) { }
}

/// <summary>413: the upload is larger than REMOLT_MAX_UPLOAD_BYTES (or unpacks to more than its limit).</summary>
public sealed class WorkspaceUploadTooLargeException : SessionException
{
    public WorkspaceUploadTooLargeException(string message) : base(message) { }
}

/// <summary>429: another upload to the session, or too many uploads on the server, are in progress.</summary>
public sealed class WorkspaceUploadBusyException : SessionException
{
    public WorkspaceUploadBusyException(string message) : base(message) { }
}

/// <summary>500: tar in the sandbox failed (disk full, read-only folder); the message carries its stderr.</summary>
public sealed class WorkspaceTransferException : SessionException
{
    public WorkspaceTransferException(string message, int exitCode) : base(message) => ExitCode = exitCode;

    public WorkspaceTransferException(string message, Exception inner) : base(message, inner) => ExitCode = -1;

    /// <summary>tar's exit status, or -1 when the sandbox connection itself failed.</summary>
    public int ExitCode { get; }
}
