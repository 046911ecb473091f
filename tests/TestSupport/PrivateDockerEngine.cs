using System.Diagnostics;
using System.Net.Sockets;
using System.Text;

namespace RemoltBlazor.TestSupport;

/// <summary>
/// A second dockerd of the test's own, for tests that stop and start the engine: the machine's engine at
/// /var/run/docker.sock serves every other test and must never restart. Everything lives under one short folder
/// (<c>/tmp/rde-XXXXXXXX</c>, a tmpfs: a unix socket path is limited to 108 bytes): data root, exec root, socket, log. With no
/// containerd socket at /run/containerd the daemon starts its own containerd under the exec root, so the two engines
/// share no containerd namespace (the machine's engine also runs its own, under /var/run/docker). No iptables: the
/// engine must not touch the host's NAT rules that the machine's engine owns; the app's per-session networks still work
/// (the sandboxes only lose the outside world, which these tests do not need). Its default bridge is one of its own
/// (<c>rdeXXXXXXXX</c>, made here): never <c>--bridge none</c>, with which dockerd deletes the host's <c>docker0</c>
/// at start (daemon_unix.go, removeDefaultBridgeInterface), the machine's engine's default bridge (seen here: every
/// <c>docker run</c> and <c>docker build</c> on it failed until docker0 was made again). Per-session networks are
/// bridges in the host's namespace, so the app under test gets its own <see cref="SubnetPool"/>, clear of the
/// machine's engine's pool.
/// </summary>
public sealed class PrivateDockerEngine : IAsyncDisposable
{
    /// <summary>The app's REMOLT_SANDBOX_SUBNET_POOL on this engine: no other engine or test uses it.</summary>
    public const string SubnetPool = "10.219.0.0/24";

    private static readonly TimeSpan s_startTimeout = TimeSpan.FromSeconds(30);
    private static readonly TimeSpan s_stopTimeout = TimeSpan.FromSeconds(60);

    private Process? _daemon;

    private PrivateDockerEngine(string folder, string bridge)
    {
        Folder = folder;
        Bridge = bridge;
    }

    /// <summary>The engine's default bridge, made for it and removed with it.</summary>
    public string Bridge { get; }

    public string Folder { get; }

    public string SocketPath => Path.Combine(Folder, "sock");

    /// <summary><c>unix://…</c>, for DOCKER_HOST.</summary>
    public string DockerHost => "unix://" + SocketPath;

    public bool IsRunning => _daemon is { HasExited: false };

    /// <summary>Whether this machine can run one (dockerd installed, running as root).</summary>
    public static string? SkipReason =>
        TestEnvironment.IsCi || (File.Exists("/usr/sbin/dockerd") && Environment.UserName == "root") ? null
        : "A private dockerd needs /usr/sbin/dockerd and root (with CI=true this test fails instead).";

    /// <summary>Creates the folder and starts the daemon.</summary>
    public static async Task<PrivateDockerEngine> StartAsync(bool liveRestore)
    {
        var id = Guid.NewGuid().ToString("N")[..8];
        var folder = Path.Combine("/tmp", "rde-" + id);
        Directory.CreateDirectory(folder);
        MountTmpfs(folder);
        var engine = new PrivateDockerEngine(folder, "rde" + id);
        // A /24 of 10.219.0.0/16 above the session pool, different per engine: two test assemblies may run one each.
        var subnet = $"10.219.{Random.Shared.Next(16, 250)}";
        try
        {
            await Run("ip", "link", "add", "name", engine.Bridge, "type", "bridge");
            await Run("ip", "addr", "add", $"{subnet}.1/24", "dev", engine.Bridge);
            await Run("ip", "link", "set", engine.Bridge, "up");
            await engine.StartDaemonAsync(liveRestore);
            return engine;
        }
        catch
        {
            await engine.DisposeAsync();
            throw;
        }
    }

    /// <summary>Starts dockerd on the same data (its containers, images, networks), with or without live-restore.</summary>
    public async Task StartDaemonAsync(bool liveRestore)
    {
        if (IsRunning)
        {
            throw new InvalidOperationException("The private engine already runs.");
        }

        string[] args =
        [
            "--data-root", Path.Combine(Folder, "root"), "--exec-root", Path.Combine(Folder, "x"),
            "--pidfile", Path.Combine(Folder, "pid"), "-H", DockerHost,
            "--bridge", Bridge, "--iptables=false", "--ip6tables=false",
            .. liveRestore ? ["--live-restore"] : Array.Empty<string>(),
        ];
        // The shell only points the daemon's output at the log file and then becomes the daemon (exec): the log
        // outlives it, and no pipe of ours is inherited by the containerd it starts (which may outlive it).
        var log = Path.Combine(Folder, "dockerd.log");
        var psi = new ProcessStartInfo("sh") { UseShellExecute = false };
        psi.ArgumentList.Add("-c");
        psi.ArgumentList.Add("log=$1; shift; exec dockerd \"$@\" >>\"$log\" 2>&1 </dev/null");
        psi.ArgumentList.Add("sh");
        psi.ArgumentList.Add(log);
        foreach (var arg in args)
        {
            psi.ArgumentList.Add(arg);
        }

        psi.Environment.Remove("DOCKER_HOST");
        _daemon = Process.Start(psi) ?? throw new InvalidOperationException("dockerd did not start");

        var deadline = Stopwatch.StartNew();
        while (!await PingAsync())
        {
            if (_daemon.HasExited || deadline.Elapsed > s_startTimeout)
            {
                throw new InvalidOperationException($"The private dockerd did not answer within {s_startTimeout.TotalSeconds} s:\n{Tail(log)}");
            }

            await Task.Delay(100);
        }
    }

    /// <summary>SIGTERM, as systemd stops it, and waits for the daemon to exit.</summary>
    public async Task StopDaemonAsync()
    {
        if (_daemon is not { } daemon)
        {
            return;
        }

        if (!daemon.HasExited)
        {
            Signal(daemon.Id, "TERM");
            using var timeout = new CancellationTokenSource(s_stopTimeout);
            try
            {
                await daemon.WaitForExitAsync(timeout.Token);
            }
            catch (OperationCanceledException)
            {
                daemon.Kill();
                await daemon.WaitForExitAsync();
            }
        }

        daemon.Dispose();
        _daemon = null;
    }

    /// <summary>Copies an image of the machine's engine into this one (docker save | docker load).</summary>
    public async Task LoadImageAsync(string image)
    {
        var psi = new ProcessStartInfo("sh") { UseShellExecute = false, RedirectStandardError = true, RedirectStandardOutput = true };
        psi.ArgumentList.Add("-c");
        psi.ArgumentList.Add("docker save \"$1\" | docker -H \"$2\" load");
        psi.ArgumentList.Add("sh");
        psi.ArgumentList.Add(image);
        psi.ArgumentList.Add(DockerHost);
        psi.Environment.Remove("DOCKER_HOST");
        using var process = Process.Start(psi) ?? throw new InvalidOperationException("sh did not start");
        var stderr = process.StandardError.ReadToEndAsync();
        await process.StandardOutput.ReadToEndAsync();
        await process.WaitForExitAsync().WaitAsync(TimeSpan.FromMinutes(5));
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"Loading {image} into the private engine failed: {await stderr}");
        }
    }

    /// <summary>The docker CLI against this engine; throws with its stderr when it fails.</summary>
    public async Task<string> CliAsync(params string[] args)
    {
        var (code, stdout, stderr) = await DockerCli.ExecuteAsync(["-H", DockerHost, .. args], TimeSpan.FromSeconds(120));
        return code == 0 ? stdout.Trim() : throw new InvalidOperationException($"docker {string.Join(' ', args)} exited {code}: {stderr}");
    }

    /// <summary>
    /// Removes everything: the containers and networks (through the engine, started again if a test left it stopped),
    /// then the daemon, its containerd and shims (found by this folder in their command line: nothing else has it),
    /// the mounts under the folder, and the folder.
    /// </summary>
    public async ValueTask DisposeAsync()
    {
        try
        {
            if (!IsRunning && Directory.Exists(Path.Combine(Folder, "root")))
            {
                await StartDaemonAsync(liveRestore: false);
            }

            if (IsRunning)
            {
                var containers = await CliAsync("ps", "-aq");
                if (containers.Length > 0)
                {
                    await CliAsync(["rm", "-f", .. containers.Split('\n', StringSplitOptions.RemoveEmptyEntries)]);
                }

                await CliAsync("network", "prune", "-f");
            }
        }
        catch (Exception ex)
        {
            Console.WriteLine($"Private engine cleanup through its API failed: {ex.Message}");
        }

        await StopDaemonAsync();
        KillLeftovers();
        Unmount();
        try
        {
            await Run("ip", "link", "del", Bridge);
        }
        catch (InvalidOperationException ex)
        {
            Console.WriteLine($"Private engine bridge {Bridge} not removed: {ex.Message}");
        }
        try
        {
            Directory.Delete(Folder, recursive: true);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            Console.WriteLine($"Private engine folder {Folder} not fully removed: {ex.Message}");
        }
    }

    private async Task<bool> PingAsync()
    {
        try
        {
            using var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
            await socket.ConnectAsync(new UnixDomainSocketEndPoint(SocketPath));
            await socket.SendAsync(Encoding.ASCII.GetBytes("GET /_ping HTTP/1.0\r\nHost: docker\r\n\r\n"));
            var buffer = new byte[256];
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(2));
            var read = await socket.ReceiveAsync(buffer, timeout.Token);
            return Encoding.ASCII.GetString(buffer, 0, read).Contains(" 200 ", StringComparison.Ordinal);
        }
        catch (Exception ex) when (ex is SocketException or OperationCanceledException)
        {
            return false;
        }
    }

    // containerd (left running by a live-restore daemon) and its shims carry this folder in their command line.
    private void KillLeftovers()
    {
        foreach (var dir in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(dir), out var pid) || pid == Environment.ProcessId)
            {
                continue;
            }

            try
            {
                var cmdline = File.ReadAllText(Path.Combine(dir, "cmdline")).Replace('\0', ' ');
                if (cmdline.Contains(Folder + "/", StringComparison.Ordinal))
                {
                    Signal(pid, "KILL");
                }
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                // The process ended meanwhile.
            }
        }
    }

    // Overlay, shm and netns mounts of the engine, deepest first, then the tmpfs itself; lazily, so a busy one does not
    // stop the rest.
    private void Unmount()
    {
        var mounts = File.ReadAllLines("/proc/self/mounts")
            .Select(line => line.Split(' ')[1])
            .Where(point => point == Folder || point.StartsWith(Folder + "/", StringComparison.Ordinal))
            .OrderByDescending(point => point.Length);
        foreach (var point in mounts)
        {
            using var umount = Process.Start(new ProcessStartInfo("umount", ["-l", point]) { UseShellExecute = false, RedirectStandardError = true });
            umount?.WaitForExit(10_000);
        }
    }

    // Measured here: copying the 780 MB sandbox image into an engine on disk took 24-32 s and deleting its data 27 s
    // (the disk is the bottleneck); on tmpfs the copy takes about 17 s and the removal is an unmount. On a machine
    // where mounting fails the engine simply lives on disk.
    private static void MountTmpfs(string folder)
    {
        using var mount = Process.Start(new ProcessStartInfo("mount", ["-t", "tmpfs", "-o", "size=4g,mode=0700", "remolt-test-engine", folder])
        {
            UseShellExecute = false,
            RedirectStandardError = true,
        });
        if (mount is not null && (!mount.WaitForExit(10_000) || mount.ExitCode != 0))
        {
            Console.WriteLine($"Private engine: tmpfs not mounted at {folder} ({mount.StandardError.ReadToEnd().Trim()}); using the disk.");
        }
    }

    private static async Task Run(params string[] command)
    {
        var psi = new ProcessStartInfo(command[0]) { UseShellExecute = false, RedirectStandardError = true };
        foreach (var arg in command.Skip(1))
        {
            psi.ArgumentList.Add(arg);
        }

        using var process = Process.Start(psi) ?? throw new InvalidOperationException($"{command[0]} did not start");
        var stderr = await process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(30));
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"{string.Join(' ', command)} exited {process.ExitCode}: {stderr}");
        }
    }

    private static void Signal(int pid, string signal)
    {
        using var kill = Process.Start(new ProcessStartInfo("kill", [$"-{signal}", pid.ToString(System.Globalization.CultureInfo.InvariantCulture)])
        {
            UseShellExecute = false,
            RedirectStandardError = true,
        });
        kill?.WaitForExit(5_000);
    }

    private static string Tail(string file) =>
        File.Exists(file) ? string.Join('\n', File.ReadLines(file).TakeLast(20)) : "(no log)";
}
