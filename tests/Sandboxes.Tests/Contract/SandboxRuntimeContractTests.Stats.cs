using System.Text;
using RemoltBlazor.Sandboxes.Runtime;

namespace RemoltBlazor.Sandboxes.Tests.Contract;

/// <summary>GetStatsAsync (the admin page's usage columns): plausible numbers that move with what runs inside.</summary>
public abstract partial class SandboxRuntimeContractTests<THost>
{
    [RuntimeContractFact]
    public async Task GetStatsAsync_RunningSandbox_HasMemory_UnknownIsNull()
    {
        var stats = await ReadStatsAsync(await SharedSandboxAsync());

        stats.ShouldNotBeNull();
        stats.MemoryBytes.ShouldBeGreaterThan(0);
        stats.CpuTime.ShouldBeGreaterThanOrEqualTo(TimeSpan.Zero);
        (await ReadStatsAsync($"remolt-t-missing-{Guid.NewGuid():N}")).ShouldBeNull();
    }

    [RuntimeContractFact]
    public async Task GetStatsAsync_BusyLoop_CpuTimeRisesAsTheKernelCounted_MemoryWithinTheLimit()
    {
        var sandboxId = await SharedSandboxAsync();
        var before = (await ReadStatsAsync(sandboxId)).ShouldNotBeNull();

        // A busy loop until the sandbox's own cgroup counter, read inside it, says it used half a second of CPU: the
        // witness. (On this shared machine a fixed-length loop may get only a sliver of a core.)
        var counted = await BashAsync(sandboxId,
            "c() { awk '/^usage_usec/ {print $2}' /sys/fs/cgroup/cpu.stat 2>/dev/null || awk '{printf \"%d\\n\", $1 / 1000}' /sys/fs/cgroup/cpuacct/cpuacct.usage; }; " +
            "a=$(c); b=$a; while [ $((b - a)) -lt 500000 ]; do i=0; while [ $i -lt 20000 ]; do i=$((i+1)); done; b=$(c); done; echo $((b - a))");
        var after = (await ReadStatsAsync(sandboxId)).ShouldNotBeNull();

        var kernel = TimeSpan.FromMicroseconds(long.Parse(counted.Trim(), System.Globalization.CultureInfo.InvariantCulture));
        kernel.ShouldBeGreaterThanOrEqualTo(TimeSpan.FromSeconds(0.5));
        (after.CpuTime - before.CpuTime).ShouldBeGreaterThanOrEqualTo(kernel);
        (after.CpuTime - before.CpuTime).ShouldBeLessThan(kernel + TimeSpan.FromSeconds(1));
        after.MemoryBytes.ShouldBeGreaterThan(0);
        after.MemoryLimitBytes.ShouldNotBeNull();
        if (Host.MemoryLimitBytes is { } limit)
        {
            after.MemoryLimitBytes.ShouldBe(limit);
        }

        after.MemoryBytes.ShouldBeLessThan(after.MemoryLimitBytes.Value);
    }

    [RuntimeContractFact]
    public async Task GetStatsAsync_Memory_FollowsAnAllocation()
    {
        var sandboxId = await SharedSandboxAsync();
        var before = (await ReadStatsAsync(sandboxId)).ShouldNotBeNull();

        // 100 MB held by a process for a few seconds while the stats are read.
        var holder = await Runtime.StartProcessAsync(sandboxId, ["perl", "-e", "$x = 'a' x 100_000_000; sleep 5"], CancellationToken.None).WaitAsync(Timeout);
        try
        {
            var peak = before;
            for (var i = 0; i < 20 && peak.MemoryBytes < before.MemoryBytes + 80_000_000; i++)
            {
                await Task.Delay(100);
                peak = (await ReadStatsAsync(sandboxId)).ShouldNotBeNull();
            }

            peak.MemoryBytes.ShouldBeGreaterThan(before.MemoryBytes + 80_000_000);
        }
        finally
        {
            await holder.DisposeAsync();
        }
    }

    private Task<SandboxStats?> ReadStatsAsync(string sandboxId) => Runtime.GetStatsAsync(sandboxId, CancellationToken.None).WaitAsync(Timeout);

    private async Task<string> BashAsync(string sandboxId, string script)
    {
        var result = await ExecAsync(sandboxId, ["bash", "-c", script]);
        result.ExitCode.ShouldBe(0, Encoding.UTF8.GetString(result.Stderr));
        return Encoding.UTF8.GetString(result.Stdout);
    }
}
