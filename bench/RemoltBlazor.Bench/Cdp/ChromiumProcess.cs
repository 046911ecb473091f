using System.Diagnostics;
using System.Text.RegularExpressions;

namespace RemoltBlazor.Bench.Cdp;

/// <summary>
/// Headless Debian Chromium with the DevTools protocol on a loopback port and nothing else attached: unlike a
/// Playwright-driven browser, no Network domain is enabled, so the page's WebSocket frames are not copied into DevTools
/// events (Playwright forwards every frame, base64-encoded, to its client), and the page runs as it would for a user.
/// </summary>
internal sealed partial class ChromiumProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly string _profileDirectory;

    private ChromiumProcess(Process process, string profileDirectory, Uri debuggerUrl)
    {
        _process = process;
        _profileDirectory = profileDirectory;
        DebuggerUrl = debuggerUrl;
    }

    /// <summary>The browser-level DevTools WebSocket (<c>ws://127.0.0.1:PORT/devtools/browser/ID</c>).</summary>
    public Uri DebuggerUrl { get; }

    public static async Task<ChromiumProcess> LaunchAsync(string executable, TimeSpan timeout)
    {
        var profile = Path.Combine(Path.GetTempPath(), "remolt-bench-chromium-" + Guid.NewGuid().ToString("N"));
        var psi = new ProcessStartInfo(executable)
        {
            RedirectStandardError = true,
            RedirectStandardOutput = true,
            UseShellExecute = false,
        };
        string[] args =
        [
            "--headless", "--no-sandbox", "--disable-gpu", "--remote-debugging-port=0", "--remote-debugging-address=127.0.0.1",
            $"--user-data-dir={profile}", "--no-first-run", "--no-default-browser-check", "--disable-background-networking",
            "--disable-component-update", "--disable-sync", "--disable-extensions", "--mute-audio", "about:blank",
        ];
        foreach (var arg in args)
        {
            psi.ArgumentList.Add(arg);
        }

        var process = Process.Start(psi) ?? throw new InvalidOperationException($"{executable} did not start");
        _ = process.StandardOutput.ReadToEndAsync();
        using var cts = new CancellationTokenSource(timeout);
        try
        {
            while (await process.StandardError.ReadLineAsync(cts.Token) is { } line)
            {
                if (ListeningLine().Match(line) is { Success: true } match)
                {
                    // Keep draining stderr so the browser never blocks on a full pipe.
                    _ = process.StandardError.ReadToEndAsync();
                    return new ChromiumProcess(process, profile, new Uri(match.Groups[1].Value));
                }
            }

            throw new InvalidOperationException($"{executable} exited ({process.ExitCode}) before announcing its DevTools port");
        }
        catch
        {
            process.Kill(entireProcessTree: true);
            process.Dispose();
            throw;
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }

        _process.Dispose();
        try
        {
            Directory.Delete(_profileDirectory, recursive: true);
        }
        catch (IOException)
        {
            // Best effort: it is under the temp folder.
        }
    }

    [GeneratedRegex(@"DevTools listening on (ws://\S+)")]
    private static partial Regex ListeningLine();
}
