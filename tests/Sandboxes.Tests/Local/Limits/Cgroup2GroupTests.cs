using RemoltBlazor.Sandboxes.Local.Limits;
using RemoltBlazor.TestSupport;

namespace RemoltBlazor.Sandboxes.Tests.Local.Limits;

/// <summary>
/// A v2 group on this machine's real unified hierarchy (mounted beside the v1 ones, every controller bound to v1):
/// no limits there, but moving processes, listing them, CPU time, <c>cgroup.kill</c> and removal are the kernel's own.
/// </summary>
public sealed class Cgroup2GroupTests : IAsyncLifetime
{
    private const string Unified = "/sys/fs/cgroup/unified";

    private readonly Cgroup2Groups _cgroups = new(Path.Combine(Unified, CgroupHost.ParentName), new HashSet<string>(),
        new CgroupSupport(false, "cgroup2", "the unified hierarchy with no controllers"));

    private ISandboxCgroup? _group;

    [Fact]
    public async Task KillAllAsync_ProcessesInTheGroup_KillsThemAllThroughCgroupKill()
    {
        var group = await CreateAsync();
        using var process = new HeldProcess("sleep 100 & sleep 100 & while :; do :; done");
        group.Add(process.Id);
        process.Go();
        await Poll.UntilAsync(() => group.ProcessIds().Count == 3, HeldProcess.Timeout);
        await Poll.UntilAsync(() => group.ReadStats()!.CpuTime > TimeSpan.FromMilliseconds(200), HeldProcess.Timeout);

        await group.KillAllAsync(CancellationToken.None).WaitAsync(HeldProcess.Timeout);

        group.ProcessIds().ShouldBeEmpty();
        (await process.WaitAsync()).ExitCode.ShouldBe(128 + 9);
        await group.RemoveAsync(CancellationToken.None).WaitAsync(HeldProcess.Timeout);
        Directory.Exists(((Cgroup2Group)group).Directory).ShouldBeFalse();
        _cgroups.Open(group.Name).ShouldBeNull();
    }

    [Fact]
    public async Task Open_AfterCreate_FindsTheSameProcesses()
    {
        var group = await CreateAsync();
        using var process = new HeldProcess("true");
        group.Add(process.Id);

        _cgroups.Open(group.Name).ShouldNotBeNull().ProcessIds().ShouldBe([process.Id]);
        process.Go();
    }

    public Task InitializeAsync()
    {
        Directory.CreateDirectory(Path.Combine(Unified, CgroupHost.ParentName));
        return Task.CompletedTask;
    }

    public async Task DisposeAsync()
    {
        if (_group is not null)
        {
            await _group.RemoveAsync(CancellationToken.None).WaitAsync(HeldProcess.Timeout);
        }
    }

    private async Task<ISandboxCgroup> CreateAsync() =>
        _group = await _cgroups.CreateAsync($"remolt-test-{Guid.NewGuid():N}", new SandboxLimits(null, null, null), CancellationToken.None);
}
