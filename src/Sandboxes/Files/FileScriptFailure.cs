using System.Text;
using RemoltBlazor.Sandboxes.Sessions;

namespace RemoltBlazor.Sandboxes.Files;

/// <summary>What a failed run of <see cref="FileScripts"/> means to the API's caller.</summary>
internal static class FileScriptFailure
{
    /// <summary>The script's exit code as the API's exception, its stderr (workspace paths shown as the API names them) as the message.</summary>
    public static SessionException Of(int exitCode, string stderr, byte[] stdout)
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
}
