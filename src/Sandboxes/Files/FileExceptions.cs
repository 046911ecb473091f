using RemoltBlazor.Sandboxes.Sessions;

namespace RemoltBlazor.Sandboxes.Files;

/// <summary>400: a path that is malformed or leads out of the workspace (<c>..</c>, a symlink to <c>/etc</c>).</summary>
public sealed class FilePathException(string message) : SessionException(message);

/// <summary>404: nothing at that path.</summary>
public sealed class FileNotFoundInWorkspaceException(string message) : SessionException(message);

/// <summary>409: the file changed since the version the writer read, or the target of a create/move exists.</summary>
public sealed class FileConflictException(string message) : SessionException(message);

/// <summary>413: the content is larger than the file API's limit.</summary>
public sealed class FileTooLargeException(string message) : SessionException(message);

/// <summary>400: the sandbox refused the operation (a folder moved into itself, a file dev may not change); its message says why.</summary>
public sealed class FileOperationException(string message) : SessionException(message);
