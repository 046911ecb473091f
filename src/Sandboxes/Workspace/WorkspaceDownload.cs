using RemoltBlazor.Sandboxes.Runtime;

namespace RemoltBlazor.Sandboxes.Workspace;

/// <summary>
/// A running <c>tar czf -</c> whose first bytes have arrived (so a tar that fails at once is reported before any
/// response starts). <see cref="CopyToAsync"/> streams the rest and checks the exit status at the end.
/// </summary>
public sealed class WorkspaceDownload : IAsyncDisposable
{
    private const int ChunkSize = 64 * 1024;

    private readonly SandboxProcess _process;
    private readonly byte[] _first;
    private readonly int _firstLength;
    private readonly Func<long, int, string, Task> _finished;

    private WorkspaceDownload(SandboxProcess process, byte[] first, int firstLength, Func<long, int, string, Task> finished)
    {
        _process = process;
        _first = first;
        _firstLength = firstLength;
        _finished = finished;
    }

    /// <summary>
    /// Waits for tar's first output; throws with its stderr when it ended without any, or when what came is not gzip
    /// (Docker reports an exec that could not start, e.g. a deleted working folder, on stdout with exit 126).
    /// </summary>
    internal static async Task<WorkspaceDownload> StartAsync(SandboxProcess process, Func<long, int, string, Task> finished, CancellationToken cancellationToken)
    {
        var first = new byte[ChunkSize];
        var read = await process.Output.ReadAtLeastAsync(first, 2, throwOnEndOfStream: false, cancellationToken);
        if (read >= 2 && first[0] == 0x1f && first[1] == 0x8b)
        {
            return new WorkspaceDownload(process, first, read, finished);
        }

        var text = System.Text.Encoding.UTF8.GetString(first, 0, Math.Min(read, 2000));
        await process.Output.CopyToAsync(Stream.Null, cancellationToken);
        var exit = await process.WaitForExitAsync(cancellationToken);
        var code = exit.ExitCode == 0 ? -1 : exit.ExitCode;
        await finished(0, code, exit.Stderr);
        throw new WorkspaceTransferException(Describe("Packing the workspace failed", exit with { Stderr = (text + "\n" + exit.Stderr).Trim() }), code);
    }

    /// <summary>
    /// Copies the archive to <paramref name="destination"/> as it is produced. Throws
    /// <see cref="WorkspaceTransferException"/> when tar fails part-way: the caller must then abort its response so
    /// the browser shows a failed download rather than a truncated archive. Exit 1 ("file changed as we read it",
    /// common with a log being written) still yields a complete archive and counts as success.
    /// </summary>
    public async Task<long> CopyToAsync(Stream destination, CancellationToken cancellationToken)
    {
        await destination.WriteAsync(_first.AsMemory(0, _firstLength), cancellationToken);
        long total = _firstLength;
        var buffer = _first;
        while (true)
        {
            var read = await _process.Output.ReadAsync(buffer, cancellationToken);
            if (read == 0)
            {
                break;
            }

            await destination.WriteAsync(buffer.AsMemory(0, read), cancellationToken);
            total += read;
        }

        var exit = await _process.WaitForExitAsync(cancellationToken);
        await _finished(total, exit.ExitCode, exit.Stderr);
        if (exit.ExitCode > 1)
        {
            throw new WorkspaceTransferException(Describe("Packing the workspace failed part-way", exit), exit.ExitCode);
        }

        return total;
    }

    public ValueTask DisposeAsync() => _process.DisposeAsync();

    internal static string Describe(string what, SandboxProcessExit exit)
    {
        var stderr = exit.Stderr.Trim();
        if (stderr.Length > 2000)
        {
            stderr = stderr[..2000] + "…";
        }

        return stderr.Length == 0 ? $"{what} (tar exit {exit.ExitCode})." : $"{what} (tar exit {exit.ExitCode}): {stderr}";
    }
}
