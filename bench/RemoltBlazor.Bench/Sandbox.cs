namespace RemoltBlazor.Bench;

/// <summary>
/// Side channel into the sandbox through the docker CLI (not through any measured path): prepares the payload file,
/// resets the tmux pane between runs and checks that no tmux client is left attached.
/// </summary>
internal sealed class Sandbox(string container)
{
    public const string User = "dev";
    public const string TmuxSession = "main";
    public const string PayloadPath = "/tmp/remolt-bench-payload.txt";
    public const string WarmupPath = "/tmp/remolt-bench-warmup.txt";
    public const string CatDonePath = "/tmp/remolt-bench-cat-done";

    public string Container => container;

    public Task<string> ExecAsync(string shellCommand, TimeSpan? timeout = null) =>
        Docker.RunAsync(["exec", "-u", User, container, "sh", "-c", shellCommand], timeout ?? TimeSpan.FromSeconds(60));

    public Task<string> TmuxAsync(params string[] args) =>
        Docker.RunAsync(["exec", "-u", User, container, "tmux", .. args], TimeSpan.FromSeconds(20));

    /// <summary>500,000 lines of 99 base64 characters + LF = exactly 50,000,000 bytes; the warm-up file is the first tenth.</summary>
    public async Task<long> CreatePayloadAsync(int lines)
    {
        var size = await ExecAsync(
            $"head -c {lines * 75L + 75} /dev/urandom | base64 -w 99 | head -n {lines} > {PayloadPath} && head -n {lines / 10} {PayloadPath} > {WarmupPath} && wc -c < {PayloadPath}",
            TimeSpan.FromMinutes(2));
        return long.Parse(size.Trim(), System.Globalization.CultureInfo.InvariantCulture);
    }

    /// <summary>When the last throughput command's <c>cat</c> returned (written by <c>date +%s%N</c> in the pane; same kernel clock as the host).</summary>
    public async Task<double> ReadCatDoneUnixMsAsync() =>
        long.Parse((await ExecAsync($"cat {CatDonePath}")).Trim(), System.Globalization.CultureInfo.InvariantCulture) / 1e6;

    public async Task<long> FileSizeAsync(string path) =>
        long.Parse((await ExecAsync($"wc -c < {path}")).Trim(), System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>Types <paramref name="line"/> + Enter into the pane through tmux itself, then drops the pane's history.</summary>
    public async Task ResetPaneAsync(string line)
    {
        await TmuxAsync("send-keys", "-t", TmuxSession, "C-c");
        await Task.Delay(100);
        await TmuxAsync("send-keys", "-t", TmuxSession, "-l", line);
        await TmuxAsync("send-keys", "-t", TmuxSession, "Enter");
        await Task.Delay(300);
        await TmuxAsync("clear-history", "-t", TmuxSession);
    }

    public async Task<int> ClientCountAsync()
    {
        var output = await TmuxAsync("list-clients", "-t", TmuxSession);
        return output.Split('\n', StringSplitOptions.RemoveEmptyEntries).Length;
    }

    /// <summary>Waits until no tmux client is attached; after <paramref name="patience"/> detaches what is left and says so.</summary>
    public async Task WaitNoClientsAsync(TimeSpan patience, Action<string> warn)
    {
        var deadline = DateTime.UtcNow + patience;
        while (DateTime.UtcNow < deadline)
        {
            if (await ClientCountAsync() == 0)
            {
                return;
            }

            await Task.Delay(100);
        }

        warn($"tmux clients still attached after {patience.TotalSeconds} s; detaching them");
        await TmuxAsync("detach-client", "-s", TmuxSession);
        await Task.Delay(500);
        if (await ClientCountAsync() != 0)
        {
            throw new InvalidOperationException("tmux clients remain attached; measurements would share the pane output.");
        }
    }
}

internal static class Docker
{
    public static async Task<string> RunAsync(IReadOnlyList<string> args, TimeSpan timeout)
    {
        var (exitCode, stdout, stderr) = await RemoltBlazor.TestSupport.DockerCli.ExecuteAsync(args, timeout);
        if (exitCode != 0)
        {
            throw new InvalidOperationException($"docker {string.Join(' ', args)} exited {exitCode}: {stderr.Trim()}");
        }

        return stdout;
    }
}
