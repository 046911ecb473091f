using System.Diagnostics;

namespace RemoltBlazor.TestSupport;

/// <summary>The docker CLI, for tests that check from the outside what the app left behind.</summary>
public static class DockerCli
{
    public static async Task<string> RunAsync(string arguments, TimeSpan? timeout = null)
    {
        using var process = Process.Start(new ProcessStartInfo("docker", arguments)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        }) ?? throw new InvalidOperationException("docker CLI did not start");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync().WaitAsync(timeout ?? TimeSpan.FromSeconds(60));
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"docker {arguments} exited {process.ExitCode}: {await stderr}");
        }

        return (await stdout).Trim();
    }

    /// <summary>
    /// Runs the docker CLI with <paramref name="args"/> passed as they are (no shell, no splitting) and returns its exit
    /// code and output; past <paramref name="timeout"/> it is killed and a <see cref="TimeoutException"/> names the command.
    /// </summary>
    public static async Task<(int ExitCode, string Stdout, string Stderr)> ExecuteAsync(IReadOnlyList<string> args, TimeSpan timeout)
    {
        var psi = new ProcessStartInfo("docker") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var arg in args)
        {
            psi.ArgumentList.Add(arg);
        }

        using var process = Process.Start(psi) ?? throw new InvalidOperationException("docker CLI did not start");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var cts = new CancellationTokenSource(timeout);
        try
        {
            await process.WaitForExitAsync(cts.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"docker {string.Join(' ', args)} did not finish within {timeout.TotalSeconds} s");
        }

        return (process.ExitCode, await stdout, await stderr);
    }

    /// <summary>
    /// Safety net for tests that crash an app on purpose: removes every container and network labelled with the
    /// instance id kept in <paramref name="dataDirectory"/>, whatever state the test left them in.
    /// </summary>
    public static async Task RemoveInstanceAsync(string dataDirectory)
    {
        var idFile = Path.Combine(dataDirectory, TestRun.InstanceIdFile);
        if (File.Exists(idFile))
        {
            await RemoveInstanceByIdAsync((await File.ReadAllTextAsync(idFile)).Trim());
        }
    }

    /// <summary>The containers and networks labelled with the instance id, as <c>container NAME</c> / <c>network NAME</c> lines.</summary>
    public static async Task<IReadOnlyList<string>> ListInstanceAsync(string instanceId)
    {
        var label = $"label=remolt.instance={instanceId}";
        var containers = (await RunAsync($"ps -a --filter {label} --format {{{{.Names}}}}")).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        var networks = (await RunAsync($"network ls --filter {label} --format {{{{.Name}}}}")).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        return [.. containers.Select(c => "container " + c), .. networks.Select(n => "network " + n)];
    }

    /// <summary>Removes every container and network labelled with the instance id.</summary>
    public static async Task RemoveInstanceByIdAsync(string instanceId)
    {
        var label = $"label=remolt.instance={instanceId}";
        foreach (var container in (await RunAsync($"ps -aq --filter {label}")).Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            await RunAsync($"rm -f {container}");
        }

        foreach (var network in (await RunAsync($"network ls -q --filter {label}")).Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            await RunAsync($"network rm {network}");
        }
    }
}
