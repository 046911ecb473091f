using System.Text;
using RemoltBlazor.Sandboxes.Runtime;

namespace RemoltBlazor.Sandboxes.Local;

/// <summary>A streamed command (<see cref="LocalRequest"/>): stdout handed out, stderr collected in the background (bounded).</summary>
internal sealed class LocalSandboxProcess(LocalRequest request, int stderrCap) : SandboxProcess
{
    private readonly Task<(byte[] Bytes, bool Truncated)> _stderr = LocalCappedRead.ReadAsync(request.Stderr, stderrCap);

    public override Stream Output => request.Stdout;

    public override ValueTask WriteInputAsync(ReadOnlyMemory<byte> data, CancellationToken cancellationToken) =>
        request.Stdin.WriteAsync(data, cancellationToken);

    public override ValueTask CompleteInputAsync(CancellationToken cancellationToken) => request.Stdin.DisposeAsync();

    public override async Task<SandboxProcessExit> WaitForExitAsync(CancellationToken cancellationToken)
    {
        var code = await request.WaitForExitAsync(cancellationToken);
        var (stderr, _) = await _stderr.WaitAsync(cancellationToken);
        return new SandboxProcessExit(code, Encoding.UTF8.GetString(stderr));
    }

    public override async ValueTask DisposeAsync()
    {
        await request.DisposeAsync();
        await _stderr;
    }
}
