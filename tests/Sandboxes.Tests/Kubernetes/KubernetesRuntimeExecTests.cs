using System.Net.WebSockets;
using System.Text;
using k8s;
using RemoltBlazor.Sandboxes.Kubernetes;
using RemoltBlazor.Sandboxes.Runtime;
using RemoltBlazor.Sandboxes.Terminals;
using RemoltBlazor.Sandboxes.Tests.Contract;
using RemoltBlazor.TestSupport;
using RemoltBlazor.TestSupport.Kubernetes;

namespace RemoltBlazor.Sandboxes.Tests.Kubernetes;

/// <summary>
/// Inside a pod through the exec WebSocket, on the fake with Docker-backed pods of the sandbox image: execs with stdin
/// and exit codes, streaming processes, port connections, stats, and the terminal (type, resize, re-attach with history).
/// </summary>
public sealed class KubernetesRuntimeExecTests(KubernetesRuntimeExecTests.Pod pod) : IClassFixture<KubernetesRuntimeExecTests.Pod>
{
    private static readonly TimeSpan s_timeout = TimeSpan.FromSeconds(60);

    private KubernetesRuntime Runtime => pod.Runtime;

    [DockerFact]
    public async Task The_pod_runs_tini_as_pid_1_as_user_dev_with_the_cluster_guard()
    {
        var result = await ExecAsync(["sh", "-c", "cat /proc/1/comm; id -u; echo $REMOLT_NETWORK_GUARD; pwd"]);
        Text(result.Stdout).ShouldBe("tini\n1000\ncluster\n/home/dev\n");
    }

    [DockerFact]
    public async Task Exec_feeds_stdin_closes_it_and_returns_exit_codes_and_both_outputs()
    {
        var input = new byte[1024 * 1024 + 17];
        Random.Shared.NextBytes(input);

        var echo = await ExecAsync(["sh", "-c", "cat; echo done >&2; exit 3"], input);

        echo.ExitCode.ShouldBe(3);
        echo.Stdout.ShouldBe(input);
        Text(echo.Stderr).ShouldBe("done\n");
        echo.Truncated.ShouldBeFalse();
        (await ExecAsync(["true"])).ExitCode.ShouldBe(0);
        (await ExecAsync(["sh", "-c", "exit 42"])).ExitCode.ShouldBe(42);
    }

    [DockerFact]
    public async Task A_streaming_process_sees_the_end_of_its_input_and_its_output_ends()
    {
        await using var process = await Runtime.StartProcessAsync(pod.SandboxId, ["sh", "-c", "wc -c; echo warn >&2; exit 5"], CancellationToken.None).WaitAsync(s_timeout);
        for (var i = 0; i < 10; i++)
        {
            await process.WriteInputAsync(new byte[1000], CancellationToken.None);
        }

        await process.CompleteInputAsync(CancellationToken.None);
        using var output = new MemoryStream();
        await process.Output.CopyToAsync(output).WaitAsync(s_timeout);
        Text(output.ToArray()).Trim().ShouldBe("10000");
        var exit = await process.WaitForExitAsync(CancellationToken.None).WaitAsync(s_timeout);
        exit.ShouldBe(new SandboxProcessExit(5, "warn\n"));
    }

    [DockerFact]
    public async Task Connect_reaches_a_port_inside_the_pod_and_a_closed_port_says_so()
    {
        await ExecAsync(["sh", "-c", "nohup socat TCP-LISTEN:7788,bind=127.0.0.1,fork,reuseaddr SYSTEM:'echo greeting; exec cat' >/dev/null 2>&1 &"]);
        await Poll.UntilAsync(async () => (await ExecAsync(["bash", "-c", "exec 3<>/dev/tcp/127.0.0.1/7788"])).ExitCode == 0, s_timeout);

        await using (var stream = await Runtime.ConnectAsync(pod.SandboxId, 7788, CancellationToken.None).WaitAsync(s_timeout))
        {
            await stream.WriteAsync(Encoding.ASCII.GetBytes("hello\n"));
            var buffer = new byte[15];
            await stream.ReadExactlyAsync(buffer).AsTask().WaitAsync(s_timeout);
            Encoding.ASCII.GetString(buffer).ShouldBe("greeting\nhello\n");
        }

        await Should.ThrowAsync<SandboxPortClosedException>(() => Runtime.ConnectAsync(pod.SandboxId, 7799, CancellationToken.None).WaitAsync(s_timeout));
    }

    [DockerFact]
    public async Task Stats_read_the_pods_counters_and_a_missing_pod_has_none()
    {
        var first = (await Runtime.GetStatsAsync(pod.SandboxId, CancellationToken.None)).ShouldNotBeNull();
        await ExecAsync(["sh", "-c", "i=0; while [ $i -lt 200000 ]; do i=$((i+1)); done"]);
        var second = (await Runtime.GetStatsAsync(pod.SandboxId, CancellationToken.None)).ShouldNotBeNull();

        second.CpuTime.ShouldBeGreaterThan(first.CpuTime);
        second.MemoryBytes.ShouldBeGreaterThan(0);
        second.MemoryLimitBytes.ShouldBe(2L * 1024 * 1024 * 1024);
        (await Runtime.GetStatsAsync("remolt-no-such-pod", CancellationToken.None)).ShouldBeNull();
        await Should.ThrowAsync<SandboxNotFoundException>(() => ExecAsync(["true"], sandboxId: "remolt-no-such-pod"));
    }

    [DockerFact]
    public async Task The_terminal_types_resizes_and_shows_its_history_again_after_a_reattach()
    {
        var options = new TerminalAttachOptions(3, new TerminalSize(100, 30));
        await using (var terminal = new TerminalReader(await Runtime.AttachTerminalAsync(pod.SandboxId, options, CancellationToken.None).WaitAsync(s_timeout), timeout: s_timeout))
        {
            await terminal.RepeatUntilAsync("stty size\r", "30 100");
            await terminal.Terminal.ResizeAsync(new TerminalSize(90, 25), CancellationToken.None);
            await terminal.RepeatUntilAsync("stty size\r", "25 90");
            await terminal.SendAsync("for i in $(seq 1 60); do echo line-$i-mark; done\r");
            await terminal.WaitForAsync("line-60-mark");
        }

        // The closed terminal's tmux client was detached: only the session remains.
        await Poll.UntilAsync(async () => Text((await ExecAsync(["sh", "-c", "tmux list-clients -t main-3 2>/dev/null | wc -l"])).Stdout).Trim() == "0", s_timeout);

        var buffer = TerminalHistory.NewBufferName();
        await using var again = new TerminalReader(
            await Runtime.AttachTerminalAsync(pod.SandboxId, options with { HistoryBuffer = buffer }, CancellationToken.None).WaitAsync(s_timeout), timeout: s_timeout);
        var history = Text(await TerminalHistory.ReadAsync(Runtime, pod.SandboxId, buffer, 30, CancellationToken.None));
        history.ShouldContain("line-5-mark");
        await again.RepeatUntilAsync("echo still-$((6*7))\r", "still-42");
    }

    [DockerFact]
    public async Task When_the_server_refuses_v5_execs_fall_back_to_v4_and_a_streamed_upload_says_the_cluster_is_too_old()
    {
        var refusals = 0;
        using var runtime = KubernetesTestRuntime.Create(pod.Api, config => new k8s.Kubernetes(config)
        {
            // Refuses the first exec handshake (what a server before 1.30 does to v5): the client library then repeats
            // the request as a plain GET for the error, which (sent without the token) is refused again.
            CreateWebSocketBuilder = () => new RefusingOnceBuilder(() => Interlocked.Increment(ref refusals) == 1),
        });

        var result = await runtime.ExecAsync(pod.SandboxId, ["cat"], Encoding.ASCII.GetBytes("fed over v4"), CancellationToken.None).WaitAsync(s_timeout);

        refusals.ShouldBe(2);
        runtime.Connector.Preferred.ShouldBe(KubernetesExecConnector.V4);
        result.ExitCode.ShouldBe(0);
        Text(result.Stdout).ShouldBe("fed over v4");
        await using var process = await runtime.StartProcessAsync(pod.SandboxId, ["cat"], CancellationToken.None).WaitAsync(s_timeout);
        var error = await Should.ThrowAsync<SandboxRuntimeException>(() => process.CompleteInputAsync(CancellationToken.None).AsTask());
        error.Message.ShouldContain("older than 1.30");
        error.Message.ShouldContain("streamed uploads");
    }

    private Task<ExecResult> ExecAsync(IReadOnlyList<string> command, ReadOnlyMemory<byte> stdin = default, string? sandboxId = null) =>
        Runtime.ExecAsync(sandboxId ?? pod.SandboxId, command, stdin, CancellationToken.None).WaitAsync(s_timeout);

    private static string Text(byte[] bytes) => Encoding.UTF8.GetString(bytes);

    /// <summary>The fake with Docker-backed pods and one running sandbox pod for the class.</summary>
    public sealed class Pod : IAsyncLifetime
    {
        public FakeApiServer Api { get; private set; } = null!;

        internal KubernetesRuntime Runtime { get; private set; } = null!;

        public string SandboxId { get; private set; } = "";

        public async Task InitializeAsync()
        {
            if (TestEnvironment.DockerSkipReason is not null)
            {
                return;
            }

            var image = await SandboxImage.EnsureBuiltAsync().WaitAsync(TimeSpan.FromMinutes(15));
            Api = await FakeApiServer.StartAsync(new FakeApiServerOptions { Pods = FakePodBackend.Docker });
            Runtime = KubernetesTestRuntime.Create(Api);
            SandboxId = (await Runtime.CreateAsync(KubernetesTestRuntime.Spec(KubernetesTestRuntime.NewSessionId(), image), CancellationToken.None)).SandboxId;
        }

        public async Task DisposeAsync()
        {
            Runtime?.Dispose();
            if (Api is not null)
            {
                await Api.DisposeAsync();
            }
        }
    }

    /// <summary>A WebSocket builder that fails the handshake as a refused upgrade when told to.</summary>
    private sealed class RefusingOnceBuilder(Func<bool> refuse) : WebSocketBuilder
    {
        public override Task<WebSocket> BuildAndConnectAsync(Uri uri, CancellationToken cancellationToken) =>
            refuse()
                ? throw new WebSocketException(WebSocketError.HeaderError, "The server returned status code '400' when status code '101' was expected.")
                : base.BuildAndConnectAsync(uri, cancellationToken);
    }
}
