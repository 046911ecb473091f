using System.Text;
using RemoltBlazor.Sandboxes.Runtime;
using RemoltBlazor.Sandboxes.Tests.Docker;
using RemoltBlazor.TestSupport;

namespace RemoltBlazor.Sandboxes.Tests.Monitoring;

/// <summary>The Docker runtime's stats reading on a real sandbox: plausible numbers that move with what runs inside.</summary>
public sealed class DockerStatsTests : IClassFixture<DockerSandboxFixture>
{
    private readonly DockerSandboxFixture _sandbox;

    public DockerStatsTests(DockerSandboxFixture sandbox) => _sandbox = sandbox;

    [DockerFact]
    public async Task GetStatsAsync_BusyLoop_CpuTimeRisesAsTheKernelCounted_MemoryWithinTheLimit()
    {
        var before = (await ReadAsync()).ShouldNotBeNull();

        // A busy loop until the sandbox's own cgroup counter, read inside it, says it used half a second of CPU: the
        // witness. (On this shared machine a fixed-length loop may get only a sliver of a core.)
        var counted = await ExecAsync(
            "c() { awk '/^usage_usec/ {print $2}' /sys/fs/cgroup/cpu.stat 2>/dev/null || awk '{printf \"%d\\n\", $1 / 1000}' /sys/fs/cgroup/cpuacct/cpuacct.usage; }; " +
            "a=$(c); b=$a; while [ $((b - a)) -lt 500000 ]; do i=0; while [ $i -lt 20000 ]; do i=$((i+1)); done; b=$(c); done; echo $((b - a))");
        var after = (await ReadAsync()).ShouldNotBeNull();

        var kernel = TimeSpan.FromMicroseconds(long.Parse(counted.Trim(), System.Globalization.CultureInfo.InvariantCulture));
        kernel.ShouldBeGreaterThanOrEqualTo(TimeSpan.FromSeconds(0.5));
        (after.CpuTime - before.CpuTime).ShouldBeGreaterThanOrEqualTo(kernel);
        (after.CpuTime - before.CpuTime).ShouldBeLessThan(kernel + TimeSpan.FromSeconds(1));
        after.MemoryBytes.ShouldBeGreaterThan(0);
        after.MemoryLimitBytes.ShouldBe(DockerTestEngine.Options().MemoryMb * 1024L * 1024);
        after.MemoryBytes.ShouldBeLessThan(after.MemoryLimitBytes!.Value);
    }

    [DockerFact]
    public async Task GetStatsAsync_Memory_FollowsAnAllocation()
    {
        var before = (await ReadAsync()).ShouldNotBeNull();

        // 100 MB held by a process for a few seconds while the stats are read.
        var holder = await _sandbox.Runtime.StartProcessAsync(_sandbox.SandboxId,
            ["perl", "-e", "$x = 'a' x 100_000_000; sleep 5"], CancellationToken.None).WaitAsync(DockerTestEngine.Timeout);
        try
        {
            var peak = before;
            for (var i = 0; i < 20 && peak.MemoryBytes < before.MemoryBytes + 80_000_000; i++)
            {
                await Task.Delay(100);
                peak = (await ReadAsync()).ShouldNotBeNull();
            }

            peak.MemoryBytes.ShouldBeGreaterThan(before.MemoryBytes + 80_000_000);
        }
        finally
        {
            await holder.DisposeAsync();
        }
    }

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

    [DockerFact]
    public async Task GetStatsAsync_UnknownSandbox_Null()
    {
        (await _sandbox.Runtime.GetStatsAsync($"remolt-t-missing-{Guid.NewGuid():N}", CancellationToken.None).WaitAsync(DockerTestEngine.Timeout))
            .ShouldBeNull();
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
