using System.Diagnostics;
using RemoltBlazor.TestSupport.Kubernetes;

namespace RemoltBlazor.Sandboxes.Tests.Kubernetes;

/// <summary>
/// Runs the machine's real kubectl against a <see cref="FakeApiServer"/>: its own kubeconfig, and a temporary HOME and
/// cache dir so no discovery cached by an earlier run (or another server on the same port) is used.
/// </summary>
internal sealed class Kubectl(FakeApiServer server) : IDisposable
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
    public async Task<Result> RunWithInputAsync(TimeSpan timeout, string kubeconfig, string? input, params string[] arguments)
    {
        var psi = new ProcessStartInfo("kubectl")
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = _home,
        };
        psi.Environment["HOME"] = _home;
        psi.Environment.Remove("KUBECONFIG");
        psi.ArgumentList.Add("--kubeconfig=" + kubeconfig);
        psi.ArgumentList.Add("--cache-dir=" + Path.Combine(_home, "cache"));
        foreach (var argument in arguments)
        {
            psi.ArgumentList.Add(argument);
        }

        using var process = Process.Start(psi) ?? throw new InvalidOperationException("kubectl did not start.");
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
            throw new TimeoutException($"kubectl {string.Join(' ', arguments)} still ran after {timeout.TotalSeconds:0} s; stderr so far is lost.");
        }

        return new Result(process.ExitCode, await output, await error);
    }

    /// <summary>Writes a file in kubectl's temporary HOME, for <c>-f</c>.</summary>
    public string WriteFile(string name, string text)
    {
        var path = Path.Combine(_home, name);
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
