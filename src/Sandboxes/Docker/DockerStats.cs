using Docker.DotNet;
using Docker.DotNet.Models;
using RemoltBlazor.Sandboxes.Runtime;

namespace RemoltBlazor.Sandboxes.Docker;

/// <summary>
/// A sandbox's counters from the engine's stats API (<c>GET /containers/{id}/stats?stream=false&amp;one-shot=true</c>,
/// https://docs.docker.com/engine/api/v1.41/#operation/ContainerStats). <c>one-shot</c> (API 1.41+) answers at once;
/// without it the engine waits a second to fill in its own previous CPU reading, which is not needed here because the
/// caller keeps its previous reading. One request to the engine, no exec in the sandbox: the engine reads the
/// container's cgroup files itself (measured in bench/README.md, "Admin page").
/// </summary>
internal static class DockerStats
{
    public static Task<SandboxStats?> ReadAsync(DockerEngine engine, string sandboxId, CancellationToken cancellationToken) =>
        engine.RunAsync($"container stats {sandboxId}", async client =>
        {
            var frame = new LastFrame();
            try
            {
                await client.Containers.GetContainerStatsAsync(
                    sandboxId, new ContainerStatsParameters { Stream = false, OneShot = true }, frame, cancellationToken);
            }
            catch (DockerContainerNotFoundException)
            {
                return null;
            }

            return frame.Value is { } response ? From(response) : null;
        }, cancellationToken);

    /// <summary>Null for a container that is not running (the engine then answers zeros read at year 1).</summary>
    internal static SandboxStats? From(ContainerStatsResponse response)
    {
        if (response.Read == default || response.CPUStats?.CPUUsage is not { } cpu)
        {
            return null;
        }

        var memory = response.MemoryStats;
        long rx = 0, tx = 0;
        foreach (var network in response.Networks?.Values ?? [])
        {
            rx += (long)network.RxBytes;
            tx += (long)network.TxBytes;
        }

        return new SandboxStats(
            TimeSpan.FromTicks((long)(cpu.TotalUsage / 100)),
            memory is null ? 0 : MemoryWithoutCache(memory),
            memory is { Limit: > 0 } ? (long)memory.Limit : null,
            rx,
            tx);
    }

    /// <summary>
    /// Usage minus the inactive page cache, as the Docker CLI computes it (cgroup v1 reports <c>total_inactive_file</c>,
    /// v2 <c>inactive_file</c>); the cache is reclaimable and would make every sandbox that read files look large.
    /// </summary>
    private static long MemoryWithoutCache(MemoryStats memory)
    {
        var usage = memory.Usage ?? 0;
        var stats = memory.Stats;
        if (stats is not null
            && (stats.TryGetValue("total_inactive_file", out var inactive) || stats.TryGetValue("inactive_file", out inactive))
            && inactive < usage)
        {
            usage -= inactive;
        }

        return (long)usage;
    }

    /// <summary>Keeps the one frame a non-streaming request reports, synchronously (<see cref="Progress{T}"/> would post it).</summary>
    private sealed class LastFrame : IProgress<ContainerStatsResponse>
    {
        public ContainerStatsResponse? Value { get; private set; }

        public void Report(ContainerStatsResponse value) => Value = value;
    }
}
