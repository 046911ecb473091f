using System.Diagnostics;

namespace RemoltBlazor.Bench;

/// <summary>
/// Baseline: <c>docker exec -it -u dev -e TERM=xterm-256color CONTAINER tmux attach -t main</c>, the docker CLI
/// running on a real PTY made by util-linux <c>script</c> (sized with <c>stty</c> first). .NET writes keys to
/// script's stdin and reads the PTY output from script's stdout. Chain: tmux server → pane-side tmux client → container
/// PTY → dockerd → docker CLI → host PTY → script → pipe → this process.
/// </summary>
internal sealed class DockerExecPath(Sandbox sandbox) : StreamPath
{
    private Process? _process;
    private Task? _reader;

    public override string Name => "docker exec (baseline)";

    public override string Description =>
        "script -qfec \"stty rows R cols C; exec docker exec -it -u dev -e TERM=xterm-256color <container> tmux attach -t main\" /dev/null; "
        + "keys written to script's stdin, output read from its stdout (64 KiB reads)";

    public string CommandLine(int columns, int rows) =>
        $"stty rows {rows} cols {columns}; exec docker exec -it -u {Sandbox.User} -e TERM=xterm-256color {sandbox.Container} tmux attach -t {Sandbox.TmuxSession}";

    protected override Task ConnectAsync(int columns, int rows, CancellationToken cancellationToken)
    {
        var psi = new ProcessStartInfo("script")
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var a in new[] { "-q", "-f", "-e", "-c", CommandLine(columns, rows), "/dev/null" })
        {
            psi.ArgumentList.Add(a);
        }

        _process = Process.Start(psi) ?? throw new InvalidOperationException("script did not start");
        _process.ErrorDataReceived += (_, _) => { };
        _process.BeginErrorReadLine();
        var watcher = Watcher;
        var stdout = _process.StandardOutput.BaseStream;
        _reader = Task.Run(async () =>
        {
            var buffer = new byte[64 * 1024];
            try
            {
                while (true)
                {
                    var n = await stdout.ReadAsync(buffer);
                    if (n == 0)
                    {
                        break;
                    }

                    watcher.Feed(buffer.AsSpan(0, n));
                }

                watcher.End(new EndOfStreamException("docker exec ended"));
            }
            catch (Exception ex) when (ex is IOException or ObjectDisposedException)
            {
                watcher.End(ex);
            }
        }, CancellationToken.None);
        return Task.CompletedTask;
    }

    protected override async Task SendAsync(ReadOnlyMemory<byte> data)
    {
        var stdin = _process!.StandardInput.BaseStream;
        await stdin.WriteAsync(data);
        await stdin.FlushAsync();
    }

    public override async Task DetachAsync()
    {
        if (_process is null)
        {
            return;
        }

        await sandbox.TmuxAsync("detach-client", "-s", Sandbox.TmuxSession);
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        try
        {
            await _process.WaitForExitAsync(cts.Token);
        }
        catch (OperationCanceledException)
        {
            _process.Kill(entireProcessTree: true);
        }

        await DisposeAsync();
    }

    public override async ValueTask DisposeAsync()
    {
        if (_process is null)
        {
            return;
        }

        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
        }

        if (_reader is not null)
        {
            await _reader.WaitAsync(TimeSpan.FromSeconds(10));
        }

        _process.Dispose();
        _process = null;
    }
}
