using RemoltBlazor.Sandboxes.Docker;
using RemoltBlazor.TestSupport;

namespace RemoltBlazor.Sandboxes.Tests.Docker;

/// <summary>What a sandbox container is created with: capabilities, no IPv6, and the disk quota where the driver has one.</summary>
public sealed class DockerSandboxLimitsTests
{
    [DockerFact]
    public async Task CreateAsync_CapabilitiesCutIpv6Off_DiskQuotaWhereTheDriverCanElseLeftOut()
    {
        await using var docker = new DockerTestRuntime(options: o => o.DiskGb = 1);
        var sandbox = (await docker.CreateAsync()).SandboxId;

        (await DockerTestEngine.CliAsync("inspect", sandbox, "--format", "{{.State.Running}} {{json .HostConfig.CapDrop}} {{json .HostConfig.CapAdd}}"))
            .ShouldBe("true [\"ALL\"] [\"AUDIT_WRITE\",\"CHOWN\",\"DAC_OVERRIDE\",\"FOWNER\",\"FSETID\",\"KILL\",\"SETGID\",\"SETUID\"]");
        (await DockerTestEngine.CliAsync("exec", sandbox, "cat", "/proc/sys/net/ipv6/conf/all/disable_ipv6")).ShouldBe("1");
        var storage = await DockerTestEngine.CliAsync("inspect", sandbox, "--format", "{{json .HostConfig.StorageOpt}}");
        var backing = await DockerTestEngine.CliAsync("info", "--format", "{{.Driver}} {{json .DriverStatus}}");
        if (docker.Runtime.DiskQuota.Applies)
        {
            storage.ShouldBe("{\"size\":\"1G\"}");
        }
        else
        {
            // This engine cannot do quotas (overlay2 on ext4 here): the sandbox is created all the same, without one.
            backing.ShouldNotContain("\"xfs\"");
            storage.ShouldBeOneOf("null", "{}");
        }
    }
}
