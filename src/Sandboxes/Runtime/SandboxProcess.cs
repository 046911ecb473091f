namespace RemoltBlazor.Sandboxes.Runtime;

/// <summary>
/// A command running in a sandbox without a TTY, its stdin and stdout handed over as streams (workspace upload and
/// download, log tails). Read <see cref="Output"/> to its end, then <see cref="WaitForExitAsync"/> for the exit code.
/// Disposing it closes the connection; the command sees EOF on stdin and a closed stdout.
/// </summary>
public abstract class SandboxProcess : IAsyncDisposable
{
    /// <summary>The command's stdout (stderr is collected separately, bounded, for error messages).</summary>
    public abstract Stream Output { get; }

    public abstract ValueTask WriteInputAsync(ReadOnlyMemory<byte> data, CancellationToken cancellationToken);

    /// <summary>Closes the command's stdin (EOF) while its output keeps coming.</summary>
    public abstract ValueTask CompleteInputAsync(CancellationToken cancellationToken);

    /// <summary>Waits for the exit code; call after <see cref="Output"/> ended.</summary>
    public abstract Task<SandboxProcessExit> WaitForExitAsync(CancellationToken cancellationToken);

    public abstract ValueTask DisposeAsync();
}

/// <param name="ExitCode">The command's exit status.</param>
/// <param name="Stderr">Up to 64 KiB of what it wrote to stderr, as UTF-8 text.</param>
public sealed record SandboxProcessExit(int ExitCode, string Stderr);
