using RemoltBlazor.Sandboxes.Local.Limits;

namespace RemoltBlazor.Sandboxes.Tests.Local.Limits;

/// <summary>
/// The systemd-run command a scope is made with. No systemd runs on this machine (PID 1 is not systemd), so the
/// scope itself is not created here; detection's refusal is tested in <see cref="SandboxCgroupsDetectTests"/>.
/// </summary>
public sealed class SystemdGroupsTests
{
    [Fact]
    public void RunArguments_AllLimits_ScopeWithEachLimitAroundAHolder()
    {
        SystemdGroups.RunArguments("s1", new SandboxLimits(64 * 1024 * 1024, 1.5, 20), user: true).ShouldBe(
        [
            "--user", "--scope", "--quiet", "--collect", "--unit=remolt-s1.scope", "--property=Delegate=yes",
            "--property=MemoryMax=67108864", "--property=MemorySwapMax=0", "--property=CPUQuota=150%", "--property=TasksMax=20",
            "--", "sleep", "infinity",
        ]);
    }

    [Fact]
    public void Properties_NoLimits_ResetEachToUnlimited()
    {
        SystemdGroups.Properties(new SandboxLimits(null, null, null))
            .ShouldBe(["MemoryMax=infinity", "MemorySwapMax=infinity", "CPUQuota=", "TasksMax=infinity"]);
    }

    [Fact]
    public void RunArguments_AsRoot_UsesTheSystemManager()
    {
        SystemdGroups.RunArguments("s1", new SandboxLimits(null, 0.001, null), user: false)
            .ShouldSatisfyAllConditions(
                arguments => arguments.ShouldNotContain("--user"),
                arguments => arguments.ShouldContain("--property=CPUQuota=1%"));
    }
}
