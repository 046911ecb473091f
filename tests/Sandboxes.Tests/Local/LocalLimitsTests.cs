using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using RemoltBlazor.Sandboxes.Local;
using RemoltBlazor.Sandboxes.Local.Limits;
using RemoltBlazor.Sandboxes.Runtime;
using RemoltBlazor.Sandboxes.Tests.Contract.Local;
using RemoltBlazor.TestSupport;

namespace RemoltBlazor.Sandboxes.Tests.Local;

/// <summary>REMOLT_LOCAL_MEMORY_MB and REMOLT_LOCAL_PIDS hold a sandbox where the host has cgroups (this one does).</summary>
public sealed class LocalLimitsTests : IDisposable
{
    private static readonly TimeSpan s_timeout = TimeSpan.FromSeconds(60);
    private readonly string _data = TestDataFolder.Create("local-limits");

    [LocalFact]
    public async Task Sandbox_OverItsMemoryOrPidsLimit_IsStopped_AndStatsShowTheLimit()
    {
        var cgroups = SandboxCgroups.Detect(NullLogger.Instance);
        if (!cgroups.Support.Enforced && !TestEnvironment.IsCi)
        {
            return; // Nothing to enforce with here (the runtime says so in its probe); CI machines have cgroups.
        }

        var runtime = new LocalRuntime(Options.Create(new LocalOptions { DataDirectory = _data, MemoryMb = 128, PidsLimit = 40 }), NullLoggerFactory.Instance, cgroups: cgroups);
        var sandboxId = (await runtime.CreateAsync(new SandboxSpec($"l-{Guid.NewGuid():N}"[..14], "bob", "shell", "local", new Dictionary<string, string>()), CancellationToken.None).WaitAsync(s_timeout)).SandboxId;

        var memory = await ExecAsync(runtime, sandboxId, "perl -e '$x = \"a\" x 400_000_000; print \"survived\\n\"'");
        // Counted with builtins only: at the limit, a forked ls or grep would fail too, and so may the exec's own
        // plumbing, so the count goes to a file and is read once the sleeps have ended.
        // The exec itself may fail there (its own plumbing cannot fork either): the script goes on, and its count is
        // read once the limit has room again.
        try
        {
            await ExecAsync(runtime, sandboxId, "for i in {1..80}; do sleep 3 2>/dev/null & done; p=(/proc/[0-9]*); echo ${#p[@]} > /tmp/pids-count; wait");
        }
        catch (SandboxRuntimeException)
        {
        }

        var count = "";
        await Poll.UntilAsync(async () =>
        {
            try
            {
                count = System.Text.Encoding.UTF8.GetString((await ExecAsync(runtime, sandboxId, "cat /tmp/pids-count 2>/dev/null")).Stdout).Trim();
            }
            catch (SandboxRuntimeException)
            {
                count = "";
            }

            return count.Length > 0;
        }, s_timeout);
        var stats = await runtime.GetStatsAsync(sandboxId, CancellationToken.None);

        memory.ExitCode.ShouldNotBe(0);
        System.Text.Encoding.UTF8.GetString(memory.Stdout).ShouldNotContain("survived");
        int.Parse(count, System.Globalization.CultureInfo.InvariantCulture).ShouldBeLessThanOrEqualTo(40);
        stats.ShouldNotBeNull().MemoryLimitBytes.ShouldBe(128L * 1024 * 1024);
    }

    public void Dispose()
    {
        LocalContractHost.KillAll(_data);
        TestDataFolder.Delete(_data);
    }

    private static Task<ExecResult> ExecAsync(LocalRuntime runtime, string sandboxId, string script) =>
        runtime.ExecAsync(sandboxId, ["bash", "-c", script], ReadOnlyMemory<byte>.Empty, CancellationToken.None).WaitAsync(s_timeout);
}
