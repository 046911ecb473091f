using System.Diagnostics;
using System.Globalization;

namespace RemoltBlazor.TestSupport.Kubernetes;

/// <summary>
/// Resizes the PTY that <c>script</c> made for an exec: the command is script's child, its stdin is the PTY's
/// slave, and <c>stty -F</c> on that device sets the size and sends the foreground group SIGWINCH.
/// </summary>
internal static class FakeExecTerminal
{
    public static async Task ResizeAsync(Process script, int width, int height, CancellationToken cancellationToken)
    {
        // The first resize can come before script has started its child; give it a moment.
        for (var attempt = 0; attempt < 50; attempt++)
        {
            if (FindTerminal(script.Id) is { } device)
            {
                var psi = new ProcessStartInfo("stty") { UseShellExecute = false, RedirectStandardError = true };
                foreach (var argument in new[] { "-F", device, "rows", height.ToString(CultureInfo.InvariantCulture), "cols", width.ToString(CultureInfo.InvariantCulture) })
                {
                    psi.ArgumentList.Add(argument);
                }

                using var stty = Process.Start(psi)!;
                await stty.WaitForExitAsync(cancellationToken);
                return;
            }

            await Task.Delay(20, cancellationToken);
        }
    }

    private static string? FindTerminal(int scriptPid)
    {
        foreach (var folder in Directory.EnumerateDirectories("/proc"))
        {
            try
            {
                var stat = File.ReadAllText(Path.Combine(folder, "stat"));
                var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
                if (fields[1] == scriptPid.ToString(CultureInfo.InvariantCulture)
                    && new FileInfo(Path.Combine(folder, "fd", "0")).LinkTarget is { } target
                    && target.StartsWith("/dev/pts/", StringComparison.Ordinal))
                {
                    return target;
                }
            }
            catch (Exception error) when (error is IOException or UnauthorizedAccessException)
            {
                // A process that ended while we looked, or one that is not ours.
            }
        }

        return null;
    }
}
