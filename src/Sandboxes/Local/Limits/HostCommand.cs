using System.ComponentModel;
using System.Diagnostics;

namespace RemoltBlazor.Sandboxes.Local.Limits;

/// <summary>Runs a host tool (systemctl, systemd-run) to its end, bounded, for its exit code and output.</summary>
internal static class HostCommand
{
    public sealed record Result(int ExitCode, string Output, string Errors);

    /// <summary>Null when the tool is missing or did not finish in time (then it is killed).</summary>
    public static async Task<Result?> RunAsync(string fileName, IEnumerable<string> arguments, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var start = new ProcessStartInfo(fileName)
        {
            UseShellExecute = false,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        Process process;
        try
        {
            process = Process.Start(start)!;
        }
        catch (Win32Exception)
        {
            return null;
        }

        using (process)
        {
            var output = process.StandardOutput.ReadToEndAsync(CancellationToken.None);
            var errors = process.StandardError.ReadToEndAsync(CancellationToken.None);
            using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            deadline.CancelAfter(timeout);
            try
            {
                await process.WaitForExitAsync(deadline.Token);
            }
            catch (OperationCanceledException)
            {
                process.Kill(entireProcessTree: true);
                cancellationToken.ThrowIfCancellationRequested();
                return null;
            }

            return new Result(process.ExitCode, await output, await errors);
        }
    }
}
