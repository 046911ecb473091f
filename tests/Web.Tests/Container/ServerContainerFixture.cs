using System.Diagnostics;
using System.Globalization;
using System.Net;
using RemoltBlazor.TestSupport;
using RemoltBlazor.Web.Tests.Auth;

namespace RemoltBlazor.Web.Tests.Container;

/// <summary>
/// The server image, built once per run through <c>container/build-server-image.sh --local-bases</c> (no registry
/// serves the .NET images here), running as one container the way the README says: the Docker socket and a named
/// volume mounted, port 8080 published on a random host port of every interface, sign-in off, so the token mode
/// applies. Everything it makes (container, volume, network, the app's sandboxes) is this run's and removed at the end.
/// </summary>
public sealed class ServerContainerFixture : IAsyncLifetime
{
    public const string Image = "remolt-server";

    private readonly string _suffix = Guid.NewGuid().ToString("N")[..10];

    public string ContainerName => $"remolt-server-test-{_suffix}";

    public string Volume => $"remolt-server-test-{_suffix}";

    /// <summary>A network of the test's own, not the default bridge: nothing else on the engine shares it.</summary>
    public string Network => $"remolt-server-test-{_suffix}";

    /// <summary>The instance id in the volume: this run's prefix, so <c>.ci/run</c> counts what the app leaves.</summary>
    public string InstanceId { get; } = TestRun.NewInstanceId();

    public TimeSpan BuildTime { get; private set; }

    public TimeSpan StartTime { get; private set; }

    public string BuildLog { get; private set; } = "";

    public int HostPort { get; private set; }

    public Uri BaseAddress => new($"http://127.0.0.1:{HostPort}/");

    public async Task InitializeAsync()
    {
        if (TestEnvironment.DockerSkipReason is not null)
        {
            return;
        }

        var clock = Stopwatch.StartNew();
        await SandboxImage.EnsureBuiltAsync();
        BuildLog = await ServerImageBuild.RunAsync();
        BuildTime = clock.Elapsed;

        clock.Restart();
        await DockerCli.RunAsync($"network create --label remolt.test-run={TestRun.Id} {Network}");
        await DockerCli.RunAsync($"volume create --label remolt.test-run={TestRun.Id} {Volume}");
        // The instance id goes in before the first start, as root; the entrypoint then gives the volume to the app's user.
        await DockerAsync("run", "--rm", "--network", "none", "-v", $"{Volume}:/data", "--entrypoint", "sh", Image, "-c", $"echo {InstanceId} > /data/{TestRun.InstanceIdFile}");
        var socket = TestEnvironment.DockerSocketPath;
        await DockerAsync(
            "run", "-d", "--name", ContainerName, "--network", Network, "-p", "8080",
            "-v", $"{socket}:/var/run/docker.sock", "-v", $"{Volume}:/data",
            "-e", $"REMOLT_SANDBOX_IMAGE={SandboxImage.Name}", "-e", "REMOLT_MAX_USER_SESSIONS=10",
            // The test image is shared by every worktree's tests and made by container/build-images.sh with this host's
            // CA: launches in here (which cannot read that CA) must not build it again, as in RemoltAppFactory.
            "-e", "REMOLT_BUILD_IMAGES=false",
            // The image's HEALTHCHECK command, probed every 2 s instead of 30 so the test sees it turn healthy soon.
            "--health-interval", "2s", "--health-start-period", "60s",
            "--label", $"remolt.test-run={TestRun.Id}",
            Image);
        await WaitUntilServingAsync();
        StartTime = clock.Elapsed;
    }

    /// <summary>Waits for <c>/health</c> on the (maybe new) published port; returns the port.</summary>
    public async Task WaitUntilServingAsync()
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(90);
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(3) };
        while (DateTime.UtcNow < deadline)
        {
            // A restart may publish on another random port: ask every time.
            var port = await DockerCli.ExecuteAsync(["port", ContainerName, "8080/tcp"], TimeSpan.FromSeconds(20));
            var line = port.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries).FirstOrDefault(l => l.StartsWith("0.0.0.0:", StringComparison.Ordinal));
            if (line is not null)
            {
                HostPort = int.Parse(line["0.0.0.0:".Length..], CultureInfo.InvariantCulture);
                try
                {
                    using var response = await http.GetAsync(new Uri(BaseAddress, "health"));
                    if (response.StatusCode == HttpStatusCode.OK)
                    {
                        return;
                    }
                }
                catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException)
                {
                    // Not listening yet.
                }
            }

            await Task.Delay(250);
        }

        throw new TimeoutException($"The server container did not answer /health within 90 s. Its log:\n{await LogsAsync()}");
    }

    public async Task<string> LogsAsync()
    {
        var logs = await DockerCli.ExecuteAsync(["logs", ContainerName], TimeSpan.FromSeconds(20));
        return logs.Stdout + logs.Stderr;
    }

    /// <summary>Runs a command in the server container (as root, docker exec's default) and returns stdout.</summary>
    public Task<string> ExecAsync(params string[] command) => DockerAsync(["exec", ContainerName, .. command]);

    /// <summary>The docker CLI with these arguments; its trimmed stdout, or an exception with its stderr.</summary>
    public static async Task<string> DockerAsync(params string[] args)
    {
        var result = await DockerCli.ExecuteAsync(args, TimeSpan.FromSeconds(120));
        return result.ExitCode == 0
            ? result.Stdout.Trim()
            : throw new InvalidOperationException($"docker {string.Join(' ', args)} exited {result.ExitCode}: {result.Stderr}");
    }

    /// <summary>A cookie client signed in with the token mode's login token, read from the volume.</summary>
    internal async Task<CookieClient> SignInAsync()
    {
        var token = await ExecAsync("cat", "/data/login-token");
        var client = new CookieClient(BaseAddress);
        using var response = await client.Http.GetAsync($"/auth/token?token={token}");
        if (response.StatusCode != HttpStatusCode.OK || client.AuthCookie is null)
        {
            client.Dispose();
            throw new InvalidOperationException($"Token sign-in answered {(int)response.StatusCode} without a cookie.");
        }

        return client;
    }

    public async Task DisposeAsync()
    {
        if (TestEnvironment.DockerSkipReason is not null)
        {
            return;
        }

        // The app ends its sessions when asked (the tests do); whatever a failure left goes by the instance label.
        await DockerCli.ExecuteAsync(["rm", "-f", ContainerName], TimeSpan.FromSeconds(60));
        await DockerCli.RemoveInstanceByIdAsync(InstanceId);
        await DockerCli.ExecuteAsync(["volume", "rm", "-f", Volume], TimeSpan.FromSeconds(60));
        await DockerCli.ExecuteAsync(["network", "rm", Network], TimeSpan.FromSeconds(60));
    }
}
