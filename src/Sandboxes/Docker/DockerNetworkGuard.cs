using System.Net;
using System.Net.NetworkInformation;
using System.Net.Sockets;
using System.Text;
using Docker.DotNet.Models;
using RemoltBlazor.Sandboxes.Runtime;

namespace RemoltBlazor.Sandboxes.Docker;

/// <summary>
/// Keeps a sandbox away from the server, the host, other sandboxes and the cloud metadata address: OUTPUT rules in
/// the sandbox's own network namespace, installed by a short-lived helper container that joins that namespace with
/// NET_ADMIN. The sandbox itself has no NET_ADMIN (nor can sudo regain it), so nothing inside can remove the rules,
/// and they live as long as the namespace: a server restart does not touch them. A privileged exec cannot do this:
/// an exec never gets capabilities beyond the container's bounding set.
/// </summary>
internal sealed class DockerNetworkGuard(DockerEngine engine, DockerExec exec, DockerOptions options, DockerHostAddresses hostAddresses)
{
    public const string Chain = "REMOLT-GUARD";

    /// <summary>Written (by root, in a root-owned folder) once the rules are in; the entrypoint waits for it.</summary>
    public const string ReadyMarker = "/run/remolt/network-guarded";

    /// <summary>Labels the helper, so a crash between create and remove leaves something the session cleanup finds.</summary>
    public const string RoleLabel = "remolt.role";

    /// <summary>The helper's name: one per sandbox, so a helper a crash left behind goes with its sandbox.</summary>
    public static string HelperName(string containerName) => $"{containerName}-guard";

    /// <summary>Link-local (the metadata address 169.254.169.254 of AWS, GCP, Azure and ECS's 169.254.170.2).</summary>
    public static readonly IPNetwork LinkLocal = IPNetwork.Parse("169.254.0.0/16");

    private static readonly TimeSpan s_helperTimeout = TimeSpan.FromSeconds(60);

    /// <summary>
    /// What no sandbox may reach: the subnet pool (every sandbox and every session gateway, that is the host through
    /// the bridge), every IPv4 address of this host, link-local, and REMOLT_SANDBOX_BLOCKED_NETWORKS. When the server
    /// runs in a container, <see cref="ApplyAsync"/> adds the Docker host's addresses (<see cref="DockerHostAddresses"/>).
    /// </summary>
    public IReadOnlyList<IPNetwork> BlockedNetworks()
    {
        var blocked = new List<IPNetwork> { IPNetwork.Parse(options.SubnetPool), LinkLocal };
        blocked.AddRange(HostAddresses().Select(a => new IPNetwork(a, 32)));
        blocked.AddRange(DockerOptions.ParseNetworks(options.BlockedNetworks));
        return [.. blocked.Distinct()];
    }

    /// <summary>
    /// The rules as a shell script: idempotent (flushes and refills its own chain), loopback first (the sandbox's
    /// own address goes over lo), then replies on connections opened towards the sandbox (a SYN-ACK to the host is
    /// an OUTPUT packet too), DNS on port 53 allowed everywhere so a resolver inside a blocked range still
    /// answers, then a reset (TCP) or an ICMP refusal for every blocked network, so a blocked connect fails at once.
    /// </summary>
    public static string Script(IEnumerable<IPNetwork> blocked)
    {
        var script = new StringBuilder("set -e\n")
            .Append($"iptables -w -N {Chain} 2>/dev/null || iptables -w -F {Chain}\n")
            .Append($"iptables -w -C OUTPUT -j {Chain} 2>/dev/null || iptables -w -I OUTPUT 1 -j {Chain}\n")
            .Append($"iptables -w -A {Chain} -o lo -j RETURN\n")
            .Append($"iptables -w -A {Chain} -m conntrack --ctstate ESTABLISHED,RELATED -j RETURN\n")
            .Append($"iptables -w -A {Chain} -p udp --dport 53 -j RETURN\n")
            .Append($"iptables -w -A {Chain} -p tcp --dport 53 -j RETURN\n");
        foreach (var network in blocked)
        {
            script.Append($"iptables -w -A {Chain} -d {network} -p tcp -j REJECT --reject-with tcp-reset\n")
                .Append($"iptables -w -A {Chain} -d {network} -j REJECT --reject-with icmp-admin-prohibited\n");
        }

        return script.ToString();
    }

    /// <summary>
    /// Installs the rules in the running container's network namespace, then writes <see cref="ReadyMarker"/>;
    /// throws when either did not happen.
    /// </summary>
    public async Task ApplyAsync(string containerName, string sessionId, string image, IDictionary<string, string> labels, CancellationToken cancellationToken)
    {
        var helperName = HelperName(containerName);
        var helperLabels = new Dictionary<string, string>(StringComparer.Ordinal) { [RoleLabel] = "network-guard", [SandboxLabels.SessionId] = sessionId };
        if (labels.TryGetValue(SandboxLabels.Instance, out var instance))
        {
            helperLabels[SandboxLabels.Instance] = instance;
        }

        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(s_helperTimeout);
        var blocked = BlockedNetworks().Concat(await hostAddresses.GetAsync(image, labels, timeout.Token)).Distinct().ToList();
        try
        {
            await engine.RunAsync($"network guard {containerName}", async client =>
            {
                // The engine makes and starts the helper even when the request is given up, maybe after the removal below
                // looked: those two calls run to their end (bounded), then the caller's cancellation counts.
                using (var engineTimeout = new CancellationTokenSource(s_helperTimeout))
                {
                    await client.Containers.CreateContainerAsync(HelperParameters(helperName, containerName, image, helperLabels, Script(blocked)), engineTimeout.Token);
                    await client.Containers.StartContainerAsync(helperName, new ContainerStartParameters(), engineTimeout.Token);
                }

                timeout.Token.ThrowIfCancellationRequested();
                var exit = await client.Containers.WaitContainerAsync(helperName, timeout.Token);
                if (exit.StatusCode != 0)
                {
                    using var logs = await client.Containers.GetContainerLogsAsync(
                        helperName, new ContainerLogsParameters { ShowStdout = true, ShowStderr = true }, timeout.Token);
                    var (stdout, stderr) = await logs.ReadOutputToEndAsync(timeout.Token);
                    throw new SandboxRuntimeException(
                        $"The network rules of {containerName} could not be installed (exit {exit.StatusCode}): {(stderr + stdout).Trim()}. " +
                        $"The image {image} needs iptables: rebuild it with container/build-images.sh");
                }
            }, timeout.Token);
        }
        finally
        {
            await RemoveHelperAsync(helperName);
        }

        await MarkGuardedAsync(containerName, cancellationToken);
    }

    /// <summary>As root: <c>dev</c> cannot write under /run, so only the runtime can say the rules are in.</summary>
    private async Task MarkGuardedAsync(string containerName, CancellationToken cancellationToken)
    {
        var folder = Path.GetDirectoryName(ReadyMarker)!;
        var result = await exec.RunAsync(
            containerName, ["sh", "-c", $"mkdir -p {folder} && touch {ReadyMarker}"], ReadOnlyMemory<byte>.Empty, 4096, cancellationToken, user: "root");
        if (result.ExitCode != 0)
        {
            throw new SandboxRuntimeException($"Marking {containerName} as guarded failed (exit {result.ExitCode}).");
        }
    }

    private static CreateContainerParameters HelperParameters(
        string name, string containerName, string image, IDictionary<string, string> labels, string script) => new()
    {
        Name = name,
        Image = image,
        User = "root",
        Entrypoint = ["/bin/sh", "-c"],
        Cmd = [script],
        Labels = labels,
        HostConfig = new HostConfig
        {
            NetworkMode = $"container:{containerName}",
            CapDrop = ["ALL"],
            CapAdd = ["NET_ADMIN"],
            Memory = 64L * 1024 * 1024,
            PidsLimit = 32,
        },
    };

    private async Task RemoveHelperAsync(string helperName)
    {
        // Not the caller's token: a cancelled create must not leave the helper behind.
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await engine.RunAsync($"container remove {helperName}", async client =>
        {
            try
            {
                await client.Containers.RemoveContainerAsync(helperName, new ContainerRemoveParameters { Force = true }, timeout.Token);
            }
            catch (global::Docker.DotNet.DockerContainerNotFoundException)
            {
                // Never created, or already gone.
            }
        }, timeout.Token);
    }

    /// <summary>
    /// This machine's IPv4 addresses (not loopback, which a sandbox's 127/8 never leaves for): a host process bound
    /// to 0.0.0.0 answers on each of them, and a sandbox routes to them through its gateway.
    /// </summary>
    private static IEnumerable<IPAddress> HostAddresses() =>
        // Every interface, up or down: a down bridge's address is still local, so it still answers.
        NetworkInterface.GetAllNetworkInterfaces()
            .SelectMany(n => n.GetIPProperties().UnicastAddresses)
            .Select(u => u.Address)
            .Where(a => a.AddressFamily == AddressFamily.InterNetwork && !IPAddress.IsLoopback(a));
}
