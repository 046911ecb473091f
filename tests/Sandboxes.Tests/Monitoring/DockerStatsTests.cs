using System.Text;
using RemoltBlazor.Sandboxes.Runtime;
using RemoltBlazor.Sandboxes.Tests.Docker;
using RemoltBlazor.TestSupport;

namespace RemoltBlazor.Sandboxes.Tests.Monitoring;

/// <summary>
/// The Docker runtime's network counters on a real sandbox (on its own network). CPU, memory and unknown sandboxes are
/// the runtime contract's (Contract/SandboxRuntimeContractTests.Stats.cs).
/// </summary>
public sealed class DockerStatsTests : IClassFixture<DockerSandboxFixture>
{
    private readonly DockerSandboxFixture _sandbox;

    public DockerStatsTests(DockerSandboxFixture sandbox) => _sandbox = sandbox;

    [DockerFact]
    public async Task GetStatsAsync_NetworkCounters_CountWhatTheSandboxSends()
    {
        var before = (await ReadAsync()).ShouldNotBeNull();

        // Datagrams to port 53 of documentation addresses (TEST-NET-1 and -2): the network guard lets DNS through to
        // anywhere (a TCP connect can be refused inside the sandbox when the host itself holds such an address), and
        // each one leaves through the sandbox's interface whether or not anything answers.
        var interfaces = await ExecAsync(
            "for i in $(seq 1 20); do echo remolt-stats > /dev/udp/192.0.2.1/53; echo remolt-stats > /dev/udp/198.51.100.1/53; done 2>/dev/null; " +
            "cat /proc/net/dev; cat /proc/net/route");
        var after = (await ReadAsync()).ShouldNotBeNull();

        after.NetworkTxBytes.ShouldBeGreaterThan(before.NetworkTxBytes, $"the sandbox's interfaces and routes:\n{interfaces}");
        after.NetworkRxBytes.ShouldBeGreaterThanOrEqualTo(before.NetworkRxBytes);
    }

    private Task<SandboxStats?> ReadAsync() =>
        _sandbox.Runtime.GetStatsAsync(_sandbox.SandboxId, CancellationToken.None).WaitAsync(DockerTestEngine.Timeout);

    private async Task<string> ExecAsync(string script)
    {
        var result = await _sandbox.Runtime.ExecAsync(_sandbox.SandboxId, ["bash", "-c", script], ReadOnlyMemory<byte>.Empty, CancellationToken.None)
            .WaitAsync(DockerTestEngine.Timeout);
        result.ExitCode.ShouldBe(0, Encoding.UTF8.GetString(result.Stderr));
        return Encoding.UTF8.GetString(result.Stdout);
    }
}
