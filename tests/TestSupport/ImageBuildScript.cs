using System.Diagnostics;
using System.Text;

namespace RemoltBlazor.TestSupport;

/// <summary>
/// Runs <c>container/build-images.sh --test-base</c> (FROM a debootstrap'd bookworm, since no registry is reachable,
/// plus the host's CA bundle when <c>SSL_CERT_FILE</c> names one) with more arguments, logging to a file and
/// throwing with its tail on failure or timeout. The script skips images whose content hash is unchanged and
/// serializes concurrent runs across test assemblies (flock).
/// </summary>
public static class ImageBuildScript
{
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromMinutes(15);

    public sealed record Result(int ExitCode, string Output, string LogPath);

    /// <summary>Runs the script; returns its exit code and combined output (never throws on a non-zero exit).</summary>
    public static Task<Result> RunAsync(IEnumerable<string> arguments, IReadOnlyDictionary<string, string>? environment = null, TimeSpan? timeout = null)
    {
        List<string> all = ["--test-base"];
        var ca = TestEnvironment.ExtraCaFile;
        if (ca.Length > 0)
        {
            all.AddRange(["--extra-ca", ca]);
        }

        all.AddRange(arguments);
        var withImage = new Dictionary<string, string> { ["REMOLT_SANDBOX_IMAGE"] = SandboxImage.Name };
        foreach (var (key, value) in environment ?? new Dictionary<string, string>())
        {
            withImage[key] = value; // the caller's word wins, as before
        }

        return RunScriptAsync("build-images.sh", all, withImage, timeout);
    }

    /// <summary>
    /// Runs <c>container/<paramref name="script"/></c> from the repository root with exactly these arguments, logging
    /// to a file; returns its exit code and combined output (never throws on a non-zero exit; throws on timeout).
    /// </summary>
    public static async Task<Result> RunScriptAsync(string script, IEnumerable<string> arguments, IReadOnlyDictionary<string, string>? environment = null, TimeSpan? timeout = null)
    {
        var root = SandboxImage.FindRepoRoot();
        var logPath = Path.Combine(Path.GetTempPath(), $"remolt-{Path.GetFileNameWithoutExtension(script)}-{Environment.ProcessId}-{Guid.NewGuid().ToString("N")[..8]}.log");
        var psi = new ProcessStartInfo("bash")
        {
            WorkingDirectory = root,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        psi.ArgumentList.Add(Path.Combine(root, "container", script));
        foreach (var argument in arguments)
        {
            psi.ArgumentList.Add(argument);
        }

        foreach (var (key, value) in environment ?? new Dictionary<string, string>())
        {
            psi.Environment[key] = value;
        }

        var output = new StringBuilder();
        var gate = new object();
        await using var log = new StreamWriter(logPath, append: false, Encoding.UTF8) { AutoFlush = true };
        void Append(string? line)
        {
            if (line is null)
            {
                return;
            }

            lock (gate)
            {
                output.AppendLine(line);
                log.WriteLine(line);
            }
        }

        using var process = new Process { StartInfo = psi };
        process.OutputDataReceived += (_, e) => Append(e.Data);
        process.ErrorDataReceived += (_, e) => Append(e.Data);
        Append($"$ bash {string.Join(' ', psi.ArgumentList)}");
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();

        var limit = timeout ?? DefaultTimeout;
        using var cts = new CancellationTokenSource(limit);
        try
        {
            await process.WaitForExitAsync(cts.Token);
        }
        catch (OperationCanceledException)
        {
            try
            {
                process.Kill(entireProcessTree: true);
            }
            catch (InvalidOperationException)
            {
                // It exited in the meantime.
            }

            throw new TimeoutException($"container/{script} did not finish within {limit.TotalMinutes:0} minutes. Log {logPath}:\n{Tail(Snapshot())}");
        }

        // The parameterless overload waits for the redirected output to be drained.
        process.WaitForExit();
        return new Result(process.ExitCode, Snapshot(), logPath);

        string Snapshot()
        {
            lock (gate)
            {
                return output.ToString();
            }
        }
    }

    /// <summary>Runs the script and throws with the tail of its output unless it exits 0.</summary>
    public static async Task<Result> RunCheckedAsync(IEnumerable<string> arguments, IReadOnlyDictionary<string, string>? environment = null)
    {
        var started = Stopwatch.StartNew();
        var result = await RunAsync(arguments, environment);
        if (result.ExitCode != 0)
        {
            throw new InvalidOperationException(
                $"container/build-images.sh failed with exit code {result.ExitCode} after {started.Elapsed.TotalSeconds:0} s. Log {result.LogPath}:\n{Tail(result.Output)}");
        }

        return result;
    }

    public static string Tail(string text, int lines = 60)
    {
        var all = text.Split('\n');
        return string.Join('\n', all.Skip(Math.Max(0, all.Length - lines)));
    }
}
