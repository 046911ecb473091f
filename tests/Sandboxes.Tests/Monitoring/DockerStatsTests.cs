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

        // Connection attempts to a documentation address (TEST-NET-1): unanswered, but each SYN leaves through the
        // sandbox's interface.
        await ExecAsync("for i in $(seq 1 20); do timeout 0.2 bash -c 'echo > /dev/tcp/192.0.2.1/9' 2>/dev/null; done; true");
        var after = (await ReadAsync()).ShouldNotBeNull();

        after.NetworkTxBytes.ShouldBeGreaterThan(before.NetworkTxBytes);
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
