using System.Diagnostics;
using System.Text;

namespace RemoltBlazor.TestSupport;

/// <summary>
/// The sandbox image the Docker tests run. <see cref="EnsureBuiltAsync"/> runs <c>container/build-images.sh</c>
/// (FROM a debootstrap'd bookworm, since no registry is reachable, plus the host's CA bundle when
/// <c>SSL_CERT_FILE</c> names one) once per process; the script itself skips the build when an image with the same
/// content hash exists and serializes concurrent runs across test assemblies.
/// </summary>
public static class SandboxImage
{
    public const string Name = "remolt-sandbox";

    private static readonly TimeSpan s_timeout = TimeSpan.FromMinutes(15);
    private static readonly object s_gate = new();
    private static Task<string>? s_build;

    /// <summary>Builds the image if needed; returns its name. Throws with the tail of the script's output on failure.</summary>
    public static Task<string> EnsureBuiltAsync()
    {
        lock (s_gate)
        {
            // A failed build is not cached for ever: the next caller tries again.
            if (s_build is null || s_build.IsFaulted || s_build.IsCanceled)
            {
                s_build = Task.Run(BuildAsync);
            }

            return s_build;
        }
    }

    public static string FindRepoRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "RemoltBlazor.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException($"RemoltBlazor.sln not found above {AppContext.BaseDirectory}.");
    }

    private static async Task<string> BuildAsync()
    {
        var root = FindRepoRoot();
        var script = Path.Combine(root, "container", "build-images.sh");
        var logPath = Path.Combine(Path.GetTempPath(), $"remolt-build-images-{Environment.ProcessId}.log");

        var psi = new ProcessStartInfo("bash")
        {
            WorkingDirectory = root,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        psi.ArgumentList.Add(script);
        psi.ArgumentList.Add("--test-base");
        var ca = Environment.GetEnvironmentVariable("SSL_CERT_FILE");
        if (!string.IsNullOrEmpty(ca) && File.Exists(ca))
        {
            psi.ArgumentList.Add("--extra-ca");
            psi.ArgumentList.Add(ca);
        }

        var started = Stopwatch.StartNew();
        await using (var log = new StreamWriter(logPath, append: false, Encoding.UTF8) { AutoFlush = true })
        {
            var logGate = new object();
            void Append(string? line)
            {
                if (line is null)
                {
                    return;
                }

                lock (logGate)
                {
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

            using var cts = new CancellationTokenSource(s_timeout);
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

                lock (logGate)
                {
                    log.Flush();
                }

                throw new TimeoutException(
                    $"container/build-images.sh did not finish within {s_timeout.TotalMinutes:0} minutes. Log {logPath}:\n{Tail(logPath)}");
            }

            // The parameterless overload waits for the redirected output to be drained.
            process.WaitForExit();
            if (process.ExitCode != 0)
            {
                lock (logGate)
                {
                    log.Flush();
                }

                throw new InvalidOperationException(
                    $"container/build-images.sh failed with exit code {process.ExitCode} after {started.Elapsed.TotalSeconds:0} s. Log {logPath}:\n{Tail(logPath)}");
            }
        }

        return Name;
    }

    private static string Tail(string path, int lines = 60)
    {
        try
        {
            using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
            using var reader = new StreamReader(stream);
            var all = reader.ReadToEnd().Split('\n');
            return string.Join('\n', all.Skip(Math.Max(0, all.Length - lines)));
        }
        catch (IOException ex)
        {
            return $"(log unreadable: {ex.Message})";
        }
    }
}
