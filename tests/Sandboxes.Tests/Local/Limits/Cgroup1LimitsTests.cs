using RemoltBlazor.Sandboxes.Local.Limits;
using RemoltBlazor.TestSupport;

namespace RemoltBlazor.Sandboxes.Tests.Local.Limits;

/// <summary>
/// The limits on this machine's kernel: PID 1 is not systemd, the v1 hierarchies are writable as root, so
/// <see cref="SandboxCgroups.Detect(Microsoft.Extensions.Logging.ILogger)"/> picks cgroup v1. Every group has a unique
/// name and is removed at the end.
/// </summary>
public sealed class Cgroup1LimitsTests : IAsyncLifetime
{
    private const long Megabyte = 1024 * 1024;

    private readonly ISandboxCgroups _cgroups = SandboxCgroups.Detect(new ListLogger());
    private readonly List<ISandboxCgroup> _created = [];

    [Fact]
    public void Detect_ThisMachine_EnforcesAllThreeLimitsThroughCgroupV1()
    {
        _cgroups.Support.ShouldSatisfyAllConditions(
            support => support.Enforced.ShouldBeTrue(support.Detail),
            support => support.Mechanism.ShouldBe("cgroup1"),
            support => support.Detail.ShouldStartWith("memory, CPU, pids limits enforced through cgroup v1 under "));
    }

    [Fact]
    public async Task MemoryLimit_ProcessAllocatesMore_IsKilledByTheKernel()
    {
        var group = await CreateAsync(new SandboxLimits(64 * Megabyte, null, null));
        using var process = new HeldProcess("exec dd if=/dev/zero of=/dev/null bs=200M count=1");
        group.Add(process.Id);

        process.Go();

        var (exitCode, output) = await process.WaitAsync();
        exitCode.ShouldBe(128 + 9, output);
        var memory = ((Cgroup1Group)group).Directories[Cgroup1Groups.Memory];
        CgroupFiles.ReadKey(Path.Combine(memory, "memory.oom_control"), "oom_kill").ShouldBe(1);
        group.ReadStats()!.MemoryLimitBytes.ShouldBe(64 * Megabyte);
    }

    [Fact]
    public async Task MemoryLimit_ProcessStaysBelow_RunsToTheEnd()
    {
        var group = await CreateAsync(new SandboxLimits(64 * Megabyte, null, null));
        using var process = new HeldProcess("exec dd if=/dev/zero of=/dev/null bs=16M count=1");
        group.Add(process.Id);

        process.Go();

        (await process.WaitAsync()).ExitCode.ShouldBe(0);
    }

    [Fact]
    public async Task PidsLimit_ForkLoop_SeesForksFail()
    {
        var group = await CreateAsync(new SandboxLimits(null, null, 20));
        // The sleeps outlive a slow test (KillAllAsync ends them). Their output goes elsewhere, so the shell's own output
        // ends with the shell: sh gives up at the first fork the kernel refuses ("Cannot fork").
        using var process = new HeldProcess("for i in $(seq 50); do sleep 60 >/dev/null 2>&1 & done");
        group.Add(process.Id);

        process.Go();
        var (_, output) = await process.WaitAsync();

        output.ShouldContain("fork");
        group.ProcessIds().Count.ShouldBeInRange(15, 20);
        await group.KillAllAsync(CancellationToken.None).WaitAsync(HeldProcess.Timeout);
    }

    [Fact]
    public async Task ReadStats_BusyLoop_ShowsItsCpuTime()
    {
        var group = await CreateAsync(new SandboxLimits(null, null, null));
        using var process = new HeldProcess("while :; do :; done");
        group.Add(process.Id);

        process.Go();

        await Poll.UntilAsync(() => group.ReadStats()!.CpuTime > TimeSpan.FromMilliseconds(300), HeldProcess.Timeout);
        group.ReadStats()!.MemoryLimitBytes.ShouldBeNull();
    }

    [Fact]
    public async Task CpuLimit_BusyLoop_GetsNoMoreThanItsShare()
    {
        var group = await CreateAsync(new SandboxLimits(null, 0.2, null));
        using var process = new HeldProcess("while :; do :; done");
        group.Add(process.Id);
        var clock = System.Diagnostics.Stopwatch.StartNew();

        process.Go();
        await Task.Delay(TimeSpan.FromSeconds(1.5));
        var cpu = group.ReadStats()!.CpuTime;
        var wall = clock.Elapsed; // measured after the reading: a late wake-up of this test only loosens the bound

        // An upper bound only: a busy machine may give the loop less, never more than 0.2 CPU (plus a period's slack).
        cpu.ShouldBeLessThan(wall * 0.2 + TimeSpan.FromMilliseconds(150));
    }

    [Fact]
    public async Task KillAllAndRemove_GroupWithProcesses_EmptiesAndRemovesIt()
    {
        var group = await CreateAsync(new SandboxLimits(128 * Megabyte, 1, 50));
        using var process = new HeldProcess("sleep 100 & sleep 100 & wait");
        group.Add(process.Id);
        process.Go();
        await Poll.UntilAsync(() => group.ProcessIds().Count == 3, HeldProcess.Timeout);

        await group.KillAllAsync(CancellationToken.None).WaitAsync(HeldProcess.Timeout);

        group.ProcessIds().ShouldBeEmpty();
        (await process.WaitAsync()).ExitCode.ShouldBe(128 + 9);
        await group.RemoveAsync(CancellationToken.None).WaitAsync(HeldProcess.Timeout);
        ((Cgroup1Group)group).Directories.Values.ShouldAllBe(directory => !Directory.Exists(directory));
        _cgroups.Open(group.Name).ShouldBeNull();
    }

    [Fact]
    public async Task CreateAsync_ExistingGroup_SetsTheNewLimits()
    {
        var group = await CreateAsync(new SandboxLimits(64 * Megabyte, 1, 20));

        var again = await _cgroups.CreateAsync(group.Name, new SandboxLimits(128 * Megabyte, 2, 40), CancellationToken.None);

        again.ReadStats()!.MemoryLimitBytes.ShouldBe(128 * Megabyte);
        var directories = ((Cgroup1Group)again).Directories;
        CgroupFiles.ReadLong(Path.Combine(directories[Cgroup1Groups.Memory], "memory.memsw.limit_in_bytes")).ShouldBe(128 * Megabyte);
        CgroupFiles.ReadLong(Path.Combine(directories[Cgroup1Groups.Cpu], "cpu.cfs_quota_us")).ShouldBe(200_000);
        CgroupFiles.ReadLong(Path.Combine(directories[Cgroup1Groups.Pids], "pids.max")).ShouldBe(40);
    }

    [Fact]
    public async Task Open_ExistingGroup_FindsItWithItsProcesses()
    {
        var group = await CreateAsync(new SandboxLimits(64 * Megabyte, null, 20));
        using var process = new HeldProcess("true");
        group.Add(process.Id);

        var opened = _cgroups.Open(group.Name);

        opened.ShouldNotBeNull().ProcessIds().ShouldBe([process.Id]);
        opened.ReadStats()!.MemoryLimitBytes.ShouldBe(64 * Megabyte);
        _cgroups.Open($"remolt-test-{Guid.NewGuid():N}").ShouldBeNull();
        process.Go();
    }

    [Theory]
    [InlineData("")]
    [InlineData("..")]
    [InlineData("../escape")]
    [InlineData("a/b")]
    [InlineData(".hidden")]
    public async Task CreateAsync_NameThatCouldLeaveTheParent_IsRefused(string name)
    {
        await Should.ThrowAsync<ArgumentException>(() => _cgroups.CreateAsync(name, new SandboxLimits(null, null, null), CancellationToken.None));
    }

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        foreach (var group in _created)
        {
            await group.RemoveAsync(CancellationToken.None).WaitAsync(HeldProcess.Timeout);
        }
    }

    private async Task<ISandboxCgroup> CreateAsync(SandboxLimits limits)
    {
        var group = await _cgroups.CreateAsync($"remolt-test-{Guid.NewGuid():N}", limits, CancellationToken.None);
        _created.Add(group);
        return group;
    }
}
