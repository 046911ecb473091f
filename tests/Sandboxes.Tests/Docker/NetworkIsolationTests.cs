using System.Net;
using System.Net.NetworkInformation;
using System.Net.Sockets;
using System.Text;
using RemoltBlazor.Sandboxes.Docker;
using RemoltBlazor.TestSupport;

namespace RemoltBlazor.Sandboxes.Tests.Docker;

/// <summary>
/// From inside real sandboxes: the host (through the gateway and on each of its addresses, with a listener on
/// 0.0.0.0), another session's sandbox and the metadata address do not answer, while DNS and the internet still do;
/// root in the sandbox can neither undo that nor use raw sockets or device nodes.
/// </summary>
public sealed class NetworkIsolationTests
{
    [DockerFact]
    public async Task HostListenerOnAnyAddress_ReachableFromHost_NotFromSandboxThroughGatewayOrAnyHostAddress()
    {
        await using var docker = new DockerTestRuntime();
        using var listener = new HostListener();
        var sandbox = (await docker.CreateAsync()).SandboxId;
        var gateway = await GatewayAsync(docker.SessionId);

        // Control: the listener answers on the gateway address, so a refusal below is the sandbox's rules.
        (await HostListener.ReadFromAsync(gateway, listener.Port)).ShouldBe("ok");
        var accepted = listener.Accepted;

        foreach (var address in HostAddresses().Prepend(gateway).Distinct())
        {
            var attempt = await ConnectFromAsync(docker, sandbox, address, listener.Port);
            attempt.ShouldContain("refused", Case.Insensitive, $"{address}: {attempt}");
        }

        listener.Accepted.ShouldBe(accepted);
    }

    [DockerFact]
    public async Task OtherSessionsSandbox_ReachableFromHost_NotFromAnotherSandbox()
    {
        await using var docker = new DockerTestRuntime();
        var first = (await docker.CreateAsync()).SandboxId;
        var otherSession = docker.NewSessionId();
        var image = await DockerTestEngine.ImageAsync();
        var other = (await docker.Runtime.CreateAsync(new RemoltBlazor.Sandboxes.Runtime.SandboxSpec(otherSession, "eve", "shell", image, new Dictionary<string, string>()) { InstanceId = docker.InstanceId },
            CancellationToken.None).WaitAsync(DockerTestEngine.Timeout)).SandboxId;
        await ExecAsync(docker, other, "nohup socat TCP-LISTEN:7070,fork,reuseaddr SYSTEM:'echo ok' >/dev/null 2>&1 &");
        var otherAddress = IPAddress.Parse(await DockerTestEngine.CliAsync("inspect", other, "--format", "{{range .NetworkSettings.Networks}}{{.IPAddress}}{{end}}"));

        await Poll.UntilAsync(async () => await TryReadAsync(otherAddress, 7070) == "ok", TimeSpan.FromSeconds(20));
        var attempt = await ConnectFromAsync(docker, first, otherAddress, 7070);

        attempt.ShouldContain("refused", Case.Insensitive, attempt);
    }

    [DockerFact]
    public async Task MetadataAddress_RefusedAtOnce_WhileDnsAndTheInternetStillWork()
    {
        await using var docker = new DockerTestRuntime();
        var sandbox = (await docker.CreateAsync()).SandboxId;

        // Nothing on this machine answers 169.254.169.254: without the rule the connect would hang until timeout.
        var metadata = await ConnectFromAsync(docker, sandbox, IPAddress.Parse("169.254.169.254"), 80);
        var internet = await ExecAsync(docker, sandbox,
            "getent hosts deb.debian.org >/dev/null && echo dns-ok; "
            + "timeout 20 bash -c 'exec 3<>/dev/tcp/deb.debian.org/80 && printf \"HEAD /debian/ HTTP/1.0\\r\\nHost: deb.debian.org\\r\\n\\r\\n\" >&3 && head -c 7 <&3'");

        metadata.ShouldContain("refused", Case.Insensitive, metadata);
        internet.ShouldBe("dns-ok\nHTTP/1.");
    }

    [DockerFact]
    public async Task RootInSandbox_CannotFlushRulesUseRawSocketsOrMknod_ButSudoWorks()
    {
        await using var docker = new DockerTestRuntime();
        using var listener = new HostListener();
        var sandbox = (await docker.CreateAsync()).SandboxId;
        var gateway = await GatewayAsync(docker.SessionId);

        var output = await ExecAsync(docker, sandbox,
            "sudo -n id -u; "
            + "sudo -n iptables -F >/dev/null 2>&1 || echo flush-refused; "
            + "sudo -n socat -u /dev/null IP4-SENDTO:127.0.0.1:253 >/dev/null 2>&1 || echo raw-refused; "
            + "sudo -n mknod /tmp/null2 c 1 3 >/dev/null 2>&1 || echo mknod-refused; "
            + "sudo -n grep CapBnd /proc/self/status");

        output.ShouldBe("0\nflush-refused\nraw-refused\nmknod-refused\nCapBnd:\t00000000200000fb");
        (await ConnectFromAsync(docker, sandbox, gateway, listener.Port)).ShouldContain("refused", Case.Insensitive);
        listener.Accepted.ShouldBe(0);
    }

    [DockerFact]
    public async Task ServerRestart_ReclaimedSandboxKeepsItsRules_AndNoGuardHelperIsLeft()
    {
        await using var docker = new DockerTestRuntime();
        using var listener = new HostListener();
        var sandbox = (await docker.CreateAsync()).SandboxId;
        var gateway = await GatewayAsync(docker.SessionId);

        // A new runtime over the same engine is what a restarted server has: it creates nothing for the old sandbox.
        using var restarted = DockerTestEngine.Runtime(DockerTestEngine.Engine());
        (await restarted.ListManagedAsync(CancellationToken.None)).ShouldContain(s => s.SandboxId == sandbox);
        var attempt = (await restarted.ExecAsync(sandbox, ["bash", "-c", ConnectScript(gateway, listener.Port)], ReadOnlyMemory<byte>.Empty, CancellationToken.None)
            .WaitAsync(DockerTestEngine.Timeout)).Stdout;

        Encoding.UTF8.GetString(attempt).ShouldContain("refused", Case.Insensitive);
        listener.Accepted.ShouldBe(0);
        (await DockerTestEngine.CliAsync("ps", "-aq", "--filter", $"label={DockerNetworkGuard.RoleLabel}", "--filter", $"label=remolt.session-id={docker.SessionId}"))
            .ShouldBeEmpty();
    }

    [DockerFact]
    public async Task WarmPoolSandbox_ClaimedBySession_IsGuardedToo()
    {
        using var listener = new HostListener();
        await using var host = await Lifecycle.DockerSessionHost.StartAsync(new Dictionary<string, string?> { ["REMOLT_WARM_POOL"] = "1" });
        await host.WarmPool.FillAsync(CancellationToken.None).WaitAsync(DockerTestEngine.Timeout);
        var session = await host.CreateAsync(request: new RemoltBlazor.Sandboxes.Sessions.CreateSessionRequest("claude-code"));
        var sandbox = session.SandboxId!;
        var gateway = IPAddress.Parse(await DockerTestEngine.CliAsync("inspect", sandbox, "--format", "{{range .NetworkSettings.Networks}}{{.Gateway}}{{end}}"));

        var result = await host.Runtime.ExecAsync(sandbox, ["bash", "-c", ConnectScript(gateway, listener.Port)], ReadOnlyMemory<byte>.Empty, CancellationToken.None)
            .WaitAsync(DockerTestEngine.Timeout);

        sandbox.ShouldNotBe($"{DockerRuntime.ContainerPrefix}{session.Id}"); // a warm one, made before the session
        Encoding.UTF8.GetString(result.Stdout).ShouldContain("refused", Case.Insensitive);
        listener.Accepted.ShouldBe(0);
    }

    [DockerFact]
    public async Task RemoveAsync_GuardHelperLeftByACrash_RemovedWithItsSandbox()
    {
        await using var docker = new DockerTestRuntime();
        var sandbox = (await docker.CreateAsync()).SandboxId;
        var image = await DockerTestEngine.ImageAsync();
        var helper = DockerNetworkGuard.HelperName(sandbox);
        await DockerTestEngine.CliAsync("create", "--name", helper, "--label", $"remolt.session-id={docker.SessionId}", "--entrypoint", "true", image);

        await docker.Runtime.RemoveAsync(sandbox, CancellationToken.None).WaitAsync(DockerTestEngine.Timeout);

        (await DockerTestEngine.CliAsync("ps", "-aq", "--filter", $"name=^{helper}$")).ShouldBeEmpty();
        (await DockerTestEngine.CliAsync("ps", "-aq", "--filter", $"name=^{sandbox}$")).ShouldBeEmpty();
    }

    private static string ConnectScript(IPAddress address, int port) =>
        $"timeout 10 bash -c 'exec 3<>/dev/tcp/{address}/{port} && head -c 2 <&3' 2>&1; echo \" rc=$?\"";

    private static async Task<string> ConnectFromAsync(DockerTestRuntime docker, string sandbox, IPAddress address, int port) =>
        await ExecAsync(docker, sandbox, ConnectScript(address, port));

    private static async Task<string> ExecAsync(DockerTestRuntime docker, string sandbox, string script)
    {
        var result = await docker.Runtime.ExecAsync(sandbox, ["bash", "-c", script], ReadOnlyMemory<byte>.Empty, CancellationToken.None)
            .WaitAsync(DockerTestEngine.Timeout);
        return (Encoding.UTF8.GetString(result.Stdout) + Encoding.UTF8.GetString(result.Stderr)).Trim();
    }

    private static async Task<IPAddress> GatewayAsync(string sessionId) =>
        IPAddress.Parse(await DockerTestEngine.CliAsync("network", "inspect", DockerSessionNetworks.NameFor(sessionId), "--format", "{{range .IPAM.Config}}{{.Gateway}}{{end}}"));

    private static async Task<string?> TryReadAsync(IPAddress address, int port)
    {
        try
        {
            return await HostListener.ReadFromAsync(address, port);
        }
        catch (SocketException)
        {
            return null;
        }
    }

    private static IEnumerable<IPAddress> HostAddresses() =>
        NetworkInterface.GetAllNetworkInterfaces()
            .SelectMany(n => n.GetIPProperties().UnicastAddresses)
            .Select(u => u.Address)
            .Where(a => a.AddressFamily == AddressFamily.InterNetwork && !IPAddress.IsLoopback(a));
}
