using Microsoft.Extensions.Logging;
using RemoltBlazor.Sandboxes.Local.Limits;

namespace RemoltBlazor.Sandboxes.Tests.Local.Limits;

/// <summary>
/// Detection on fake cgroup trees in a temp folder (a mountinfo, a /proc/self/cgroup and directories shaped like
/// cgroupfs), for the hosts this machine is not: a delegated cgroup v2 subtree, nothing writable, nothing mounted.
/// What the kernel does with the values is tested on the real tree (<see cref="Cgroup1LimitsTests"/>).
/// </summary>
public sealed class SandboxCgroupsDetectTests : IDisposable
{
    private readonly DirectoryInfo _folder = Directory.CreateTempSubdirectory("remolt-cgroups-");
    private readonly ListLogger _logger = new();

    private string Root => Path.Combine(_folder.FullName, "cgroup");

    [Fact]
    public async Task Detect_DelegatedCgroup2Subtree_CreatesGroupsBesideTheServersOwn()
    {
        var host = FakeHost("0::/system.slice/remolt.service", $"30 25 0:26 / {Root} rw,nosuid - cgroup2 cgroup2 rw,nsdelegate");
        Directory.CreateDirectory(Path.Combine(Root, "system.slice", "remolt.service"));
        File.WriteAllText(Path.Combine(Root, "system.slice", "cgroup.subtree_control"), "cpu memory pids\n");

        var cgroups = SandboxCgroups.Detect(_logger, host);

        var parent = Path.Combine(Root, "system.slice", "remolt");
        cgroups.Support.ShouldBe(new CgroupSupport(true, "cgroup2", $"memory, CPU, pids limits enforced through cgroup v2 under {parent}"));
        File.ReadAllText(Path.Combine(parent, "cgroup.subtree_control")).ShouldBe("+memory +cpu +pids");
        _logger.Lines.ShouldContain((LogLevel.Information, $"Local sandbox limits through cgroup2: {cgroups.Support.Detail}"));

        var group = await cgroups.CreateAsync("s1", new SandboxLimits(64 * 1024 * 1024, 1.5, 20), CancellationToken.None);

        var directory = Path.Combine(parent, "s1");
        File.ReadAllText(Path.Combine(directory, "memory.max")).ShouldBe("67108864");
        File.ReadAllText(Path.Combine(directory, "cpu.max")).ShouldBe("150000 100000");
        File.ReadAllText(Path.Combine(directory, "pids.max")).ShouldBe("20");
        cgroups.Open("s1").ShouldNotBeNull().Name.ShouldBe(group.Name);
        cgroups.Open("s2").ShouldBeNull();
    }

    [Fact]
    public async Task ReadStats_Cgroup2Files_CpuMemoryWithoutInactiveCacheAndLimit()
    {
        var host = FakeHost("0::/", $"30 25 0:26 / {Root} rw - cgroup2 cgroup2 rw");
        Directory.CreateDirectory(Root);
        File.WriteAllText(Path.Combine(Root, "cgroup.subtree_control"), "memory\n");
        var cgroups = SandboxCgroups.Detect(_logger, host);
        var group = await cgroups.CreateAsync("s1", new SandboxLimits(null, null, null), CancellationToken.None);
        var directory = Path.Combine(Root, "remolt", "s1");
        File.WriteAllText(Path.Combine(directory, "cpu.stat"), "usage_usec 2500000\nuser_usec 2000000\nsystem_usec 500000\n");
        File.WriteAllText(Path.Combine(directory, "memory.current"), "10000\n");
        File.WriteAllText(Path.Combine(directory, "memory.stat"), "anon 6000\nfile 4000\ninactive_file 3000\nactive_file 1000\n");

        group.ReadStats().ShouldBe(new SandboxCgroupStats(TimeSpan.FromSeconds(2.5), 7000, null));

        File.WriteAllText(Path.Combine(directory, "memory.max"), "67108864\n");
        group.ReadStats()!.MemoryLimitBytes.ShouldBe(67108864);
    }

    [Fact]
    public void Detect_Cgroup2WithoutSomeControllers_SaysWhichLimitsAreMissing()
    {
        var host = FakeHost("0::/user.slice/app", $"30 25 0:26 / {Root} rw - cgroup2 cgroup2 rw");
        Directory.CreateDirectory(Path.Combine(Root, "user.slice", "app"));
        File.WriteAllText(Path.Combine(Root, "user.slice", "cgroup.subtree_control"), "memory pids\n");

        var support = SandboxCgroups.Detect(_logger, host).Support;

        support.Mechanism.ShouldBe("cgroup2");
        support.Detail.ShouldBe(
            $"memory, pids limits enforced through cgroup v2 under {Path.Combine(Root, "user.slice", "remolt")} (no CPU limit: the host does not offer it)");
    }

    [Fact]
    public void Detect_NoControllersForChildren_EnforcesNothingAndSaysWhy()
    {
        var host = FakeHost("0::/server/app", $"30 25 0:26 / {Root} rw - cgroup2 cgroup2 rw");
        Directory.CreateDirectory(Path.Combine(Root, "server", "app"));
        File.WriteAllText(Path.Combine(Root, "server", "cgroup.subtree_control"), "\n");

        var cgroups = SandboxCgroups.Detect(_logger, host);

        cgroups.Support.ShouldBe(new CgroupSupport(false, "none", "no writable cgroup offers memory, cpu or pids control: limits are not enforced"));
    }

    [Fact]
    public async Task Detect_SubtreeNotWritable_SaysCgroupsAreNotWritableByTheUid()
    {
        var host = FakeHost("0::/server/app", $"30 25 0:26 / {Root} rw - cgroup2 cgroup2 rw") with { UserId = 1000 };
        Directory.CreateDirectory(Path.Combine(Root, "server", "app"));
        File.WriteAllText(Path.Combine(Root, "server", "cgroup.subtree_control"), "memory cpu pids\n");
        // The tests run as root, for whom every directory is writable: a file where the parent would go refuses it.
        File.WriteAllText(Path.Combine(Root, "server", "remolt"), "");

        var cgroups = SandboxCgroups.Detect(_logger, host);

        cgroups.Support.ShouldBe(new CgroupSupport(false, "none", "cgroups are not writable by uid 1000: limits are not enforced"));
        _logger.Lines.ShouldContain((LogLevel.Warning, "Local sandbox limits are not enforced: cgroups are not writable by uid 1000: limits are not enforced"));

        var group = await cgroups.CreateAsync("s1", new SandboxLimits(64 * 1024 * 1024, 1, 20), CancellationToken.None);
        group.Add(Environment.ProcessId);
        group.ReadStats().ShouldBeNull();
        group.ProcessIds().ShouldBe([Environment.ProcessId]);
        cgroups.Open("s1").ShouldBeSameAs(group);
    }

    [Fact]
    public void Detect_NoCgroupMounted_SaysSo()
    {
        var host = FakeHost("", "22 1 0:5 / /proc rw - proc proc rw");

        SandboxCgroups.Detect(_logger, host).Support
            .ShouldBe(new CgroupSupport(false, "none", "no cgroup filesystem is mounted: limits are not enforced"));
    }

    [Fact]
    public void Detect_ContainerMountShowingItsOwnGroupAsRoot_FindsTheServersDirectory()
    {
        // Inside a container without a cgroup namespace the mount's root is the container's group.
        var host = FakeHost("4:memory:/docker/abc\n8:pids:/docker/abc\n1:cpu,cpuacct:/docker/abc",
            $"40 30 0:40 /docker/abc {Root}/memory rw - cgroup cgroup rw,memory\n" +
            $"41 30 0:41 /docker/abc {Root}/pids rw - cgroup cgroup rw,pids\n" +
            $"42 30 0:42 /docker/abc {Root}/cpu,cpuacct rw - cgroup cgroup rw,cpu,cpuacct");

        var support = SandboxCgroups.Detect(_logger, host).Support;

        support.Mechanism.ShouldBe("cgroup1");
        Directory.Exists(Path.Combine(Root, "memory", "remolt")).ShouldBeTrue();
        Directory.Exists(Path.Combine(Root, "cpu,cpuacct", "remolt")).ShouldBeTrue();
        support.Detail.ShouldContain(Path.Combine(Root, "pids", "remolt"));
    }

    [Fact]
    public void Detect_SystemdPid1ThatDoesNotAnswer_FallsBackToTheDelegatedSubtree()
    {
        // This machine has systemctl but no running manager ("offline"): exactly the case of a systemd that does not answer.
        var host = FakeHost("0::/system.slice/remolt.service", $"30 25 0:26 / {Root} rw - cgroup2 cgroup2 rw");
        File.WriteAllText(host.InitCommandPath, "systemd\n");
        Directory.CreateDirectory(Path.Combine(Root, "system.slice", "remolt.service"));
        File.WriteAllText(Path.Combine(Root, "cgroup.controllers"), "cpuset cpu io memory hugetlb pids rdma misc\n");
        File.WriteAllText(Path.Combine(Root, "system.slice", "cgroup.subtree_control"), "cpu memory pids\n");

        var support = SandboxCgroups.Detect(_logger, host).Support;

        support.Mechanism.ShouldBe("cgroup2");
        _logger.Lines.ShouldContain(line => line.Level == LogLevel.Debug
            && line.Message.StartsWith("Sandbox limits detection: systemd is PID 1 but systemctl is-system-running does not answer", StringComparison.Ordinal));
    }

    [Fact]
    public void Detect_ThisMachine_SaysWhySystemdIsNotUsed()
    {
        SandboxCgroups.Detect(_logger);

        _logger.Lines.ShouldContain(line => line.Level == LogLevel.Debug
            && line.Message.StartsWith("Sandbox limits detection: PID 1 is '", StringComparison.Ordinal)
            && line.Message.EndsWith("', not systemd", StringComparison.Ordinal));
    }

    public void Dispose() => _folder.Delete(recursive: true);

    private CgroupHost FakeHost(string processCgroup, string mountInfo)
    {
        var proc = Path.Combine(_folder.FullName, "proc");
        Directory.CreateDirectory(proc);
        File.WriteAllText(Path.Combine(proc, "cgroup"), processCgroup + "\n");
        File.WriteAllText(Path.Combine(proc, "mountinfo"), mountInfo + "\n");
        File.WriteAllText(Path.Combine(proc, "comm"), "init\n");
        return new CgroupHost(Path.Combine(proc, "mountinfo"), Path.Combine(proc, "cgroup"), Path.Combine(proc, "comm"), 0);
    }
}
