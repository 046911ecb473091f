using System.Buffers;
using System.Diagnostics;

namespace RemoltBlazor.TestSupport.Kubernetes;

/// <summary>An exec of a Local pod: the command runs on this host, under a PTY from <c>script</c> when a TTY is asked for.</summary>
internal sealed class FakeLocalExecProcess : IFakeExecProcess
{
    private readonly Process _process;
    private readonly bool _tty;

    private FakeLocalExecProcess(Process process, bool tty)
    {
        _process = process;
        _tty = tty;
    }

    // script -e passes the command's exit status on; -f flushes at once, so output is not held back by script's buffering.
    public static FakeLocalExecProcess Start(IReadOnlyList<string> command, bool tty)
    {
        var psi = new ProcessStartInfo(tty ? "script" : command[0])
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in tty ? ["-qfec", string.Join(' ', command.Select(Quote)), "/dev/null"] : command.Skip(1))
        {
            psi.ArgumentList.Add(argument);
        }

        var process = Process.Start(psi) ?? throw new FakeApiException(500, "InternalError", $"could not start {command[0]}");
        return new FakeLocalExecProcess(process, tty);
    }

    public Task CopyOutputAsync(Func<byte, ReadOnlyMemory<byte>, Task> send, CancellationToken cancellationToken) =>
        Task.WhenAll(PumpAsync(_process.StandardOutput.BaseStream, 1, send, cancellationToken), PumpAsync(_process.StandardError.BaseStream, 2, send, cancellationToken));

    public async Task WriteInputAsync(ReadOnlyMemory<byte> data, CancellationToken cancellationToken)
    {
        await _process.StandardInput.BaseStream.WriteAsync(data, cancellationToken);
        await _process.StandardInput.BaseStream.FlushAsync(cancellationToken);
    }

    public void CloseInput() => _process.StandardInput.Close();

    public Task ResizeAsync(int width, int height, CancellationToken cancellationToken) =>
        _tty ? FakeExecTerminal.ResizeAsync(_process, width, height, cancellationToken) : Task.CompletedTask;

    public async Task<int> WaitForExitAsync(CancellationToken cancellationToken)
    {
        await _process.WaitForExitAsync(cancellationToken);
        return _process.ExitCode;
    }

    public ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
        }

        _process.Dispose();
        return ValueTask.CompletedTask;
    }

    private static string Quote(string argument) => "'" + argument.Replace("'", "'\\''", StringComparison.Ordinal) + "'";

    private static async Task PumpAsync(Stream from, byte channel, Func<byte, ReadOnlyMemory<byte>, Task> send, CancellationToken cancellationToken)
    {
        var buffer = ArrayPool<byte>.Shared.Rent(16 * 1024);
        try
        {
            int read;
            while ((read = await from.ReadAsync(buffer, cancellationToken)) > 0)
            {
                await send(channel, buffer.AsMemory(0, read));
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }
}
