using System.Diagnostics;
using RemoltBlazor.TestSupport.Kubernetes;

namespace RemoltBlazor.Sandboxes.Tests.Kubernetes;

/// <summary>
/// Runs the machine's real kubectl against a <see cref="FakeApiServer"/>: its own kubeconfig, and a temporary HOME and
/// cache dir so no discovery cached by an earlier run (or another server on the same port) is used.
/// </summary>
public sealed class Kubectl(FakeApiServer server) : IDisposable
{
    private readonly string _home = Directory.CreateTempSubdirectory("remolt-kubectl-").FullName;

    public sealed record Result(int ExitCode, string Output, string Error)
    {
        public override string ToString() => $"exit {ExitCode}\nstdout: {Output}\nstderr: {Error}";
    }

    /// <summary>Runs kubectl with <paramref name="arguments"/>, killing it after <paramref name="timeout"/> (20 s by default).</summary>
    public Task<Result> RunAsync(params string[] arguments) => RunAsync(TimeSpan.FromSeconds(20), server.KubeconfigPath, arguments);

    public Task<Result> RunAsync(TimeSpan timeout, string kubeconfig, params string[] arguments) => RunWithInputAsync(timeout, kubeconfig, null, arguments);

    /// <summary>Runs kubectl with <paramref name="input"/> on its stdin, which is then closed (null: an empty stdin).</summary>
    public Task<Result> RunWithInputAsync(TimeSpan timeout, string kubeconfig, string? input, params string[] arguments) =>
        RunProgramAsync(timeout, "kubectl", input, ["--kubeconfig=" + kubeconfig, "--cache-dir=" + Path.Combine(_home, "cache"), .. arguments]);

    private async Task<Result> RunProgramAsync(TimeSpan timeout, string program, string? input, IEnumerable<string> arguments)
    {
        var psi = new ProcessStartInfo(program)
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = _home,
        };
        psi.Environment["HOME"] = _home;
        psi.Environment.Remove("KUBECONFIG");
        foreach (var argument in arguments)
        {
            psi.ArgumentList.Add(argument);
        }

        using var process = Process.Start(psi) ?? throw new InvalidOperationException($"{program} did not start.");
        await process.StandardInput.WriteAsync(input ?? "");
        process.StandardInput.Close();
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        using var deadline = new CancellationTokenSource(timeout);
        try
        {
            await process.WaitForExitAsync(deadline.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{program} {string.Join(' ', arguments)} still ran after {timeout.TotalSeconds:0} s; stderr so far is lost.");
        }

        return new Result(process.ExitCode, await output, await error);
    }

    /// <summary>
    /// Runs kubectl on a terminal of <paramref name="rows"/> x <paramref name="columns"/> (a PTY from <c>script</c>),
    /// as <c>exec -it</c> needs: kubectl refuses a TTY when its stdin is not one, and sends the terminal's size.
    /// </summary>
    public Task<Result> RunInTerminalAsync(int rows, int columns, params string[] arguments)
    {
        static string Quote(string argument) => "'" + argument.Replace("'", "'\\''", StringComparison.Ordinal) + "'";
        var kubectl = string.Join(' ', new[] { "kubectl", "--kubeconfig=" + server.KubeconfigPath, "--cache-dir=" + Path.Combine(_home, "cache") }.Concat(arguments).Select(Quote));
        return RunProgramAsync(TimeSpan.FromSeconds(20), "script", null, ["-qfec", $"stty rows {rows} cols {columns}; {kubectl}", "/dev/null"]);
    }

    /// <summary>Writes a file (<paramref name="name"/> may have folders) in kubectl's temporary HOME, for <c>-f</c> or <c>-k</c>.</summary>
    public string WriteFile(string name, string text)
    {
        var path = Path.Combine(_home, name);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, text);
        return path;
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(_home, recursive: true);
        }
        catch (IOException)
        {
            // Best effort: the folder is under the temp directory.
        }
    }
}
