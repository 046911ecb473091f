using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using RemoltBlazor.Sandboxes.Docker;

namespace RemoltBlazor.Sandboxes.Tests.Docker;

public sealed class DockerOptionsTests
{
    [Fact]
    public void Bind_OriginalEnvironmentNames_SetsEveryOption()
    {
        var options = Bind(new()
        {
            ["REMOLT_DOCKER_SOCKET"] = "/run/other.sock",
            ["REMOLT_SANDBOX_MEMORY_MB"] = "1024",
            ["REMOLT_SANDBOX_CPUS"] = "1.5",
            ["REMOLT_SANDBOX_PIDS"] = "256",
            ["REMOLT_SANDBOX_SUBNET_POOL"] = "10.50.0.0/20",
            ["REMOLT_DOCKER_NO_NEW_PRIVILEGES"] = "true",
        });

        options.SocketPath.ShouldBe("/run/other.sock");
        options.MemoryMb.ShouldBe(1024);
        options.Cpus.ShouldBe(1.5);
        options.PidsLimit.ShouldBe(256);
        options.SubnetPool.ShouldBe("10.50.0.0/20");
        options.NoNewPrivileges.ShouldBeTrue();
    }

    [Fact]
    public void Bind_Nothing_KeepsOriginalDefaults()
    {
        var options = Bind([]);

        options.SocketPath.ShouldBe("/var/run/docker.sock");
        options.MemoryMb.ShouldBe(2048);
        options.Cpus.ShouldBe(2);
        options.PidsLimit.ShouldBe(512);
        options.SubnetPool.ShouldBe("10.213.0.0/16");
        options.NoNewPrivileges.ShouldBeFalse();
    }

    [Fact]
    public void SocketPath_DockerHostUnix_WinsOverRemoltSocket()
    {
        var options = Bind(new() { ["DOCKER_HOST"] = "unix:///tmp/d.sock", ["REMOLT_DOCKER_SOCKET"] = "/run/other.sock" });

        options.SocketPath.ShouldBe("/tmp/d.sock");
    }

    [Fact]
    public void Validate_EverythingWrong_ListsEveryError()
    {
        var result = new DockerOptionsValidator().Validate(null, new DockerOptions
        {
            DockerHost = "tcp://1.2.3.4:2375",
            Socket = "relative.sock",
            MemoryMb = 1,
            Cpus = 0,
            PidsLimit = 1,
            SubnetPool = "10.0.0.0/30",
        });

        result.Failed.ShouldBeTrue();
        result.Failures!.Count().ShouldBe(6);
        result.FailureMessage.ShouldContain("DOCKER_HOST");
        result.FailureMessage.ShouldContain("REMOLT_SANDBOX_MEMORY_MB");
        result.FailureMessage.ShouldContain("REMOLT_SANDBOX_CPUS");
        result.FailureMessage.ShouldContain("REMOLT_SANDBOX_PIDS");
        result.FailureMessage.ShouldContain("REMOLT_SANDBOX_SUBNET_POOL");
    }

    [Fact]
    public void Bind_IsolationSettings_DefaultsBlockPrivateRangesAndCapDisk_AndTheirNamesBind()
    {
        var defaults = Bind([]);
        var set = Bind(new() { ["REMOLT_SANDBOX_BLOCKED_NETWORKS"] = "192.0.2.0/24", ["REMOLT_SANDBOX_DISK_GB"] = "0" });

        defaults.BlockedNetworks.ShouldBe("10.0.0.0/8,172.16.0.0/12,192.168.0.0/16,100.64.0.0/10");
        defaults.DiskGb.ShouldBe(20);
        set.BlockedNetworks.ShouldBe("192.0.2.0/24");
        set.DiskGb.ShouldBe(0);
        DockerOptions.ParseNetworks(" 10.0.0.0/8 , 192.0.2.7/32").ShouldBe([System.Net.IPNetwork.Parse("10.0.0.0/8"), System.Net.IPNetwork.Parse("192.0.2.7/32")]);
    }

    [Fact]
    public void Validate_BadBlockedNetworksAndNegativeDisk_NamesEachEntry()
    {
        var result = new DockerOptionsValidator().Validate(null, new DockerOptions { BlockedNetworks = "10.0.0.0/8,nope,fd00::/8", DiskGb = -1 });

        result.Failures!.Count().ShouldBe(3);
        var message = result.FailureMessage.ShouldNotBeNull();
        message.ShouldContain("'nope'");
        message.ShouldContain("'fd00::/8'");
        message.ShouldContain("REMOLT_SANDBOX_DISK_GB");
    }

    [Fact]
    public void GuardScript_EveryBlockedNetwork_RejectedAfterLoopbackRepliesAndDns()
    {
        var script = DockerNetworkGuard.Script([System.Net.IPNetwork.Parse("10.214.0.0/16"), System.Net.IPNetwork.Parse("169.254.0.0/16")]);
        var lines = script.Split('\n', StringSplitOptions.RemoveEmptyEntries);

        lines[3].ShouldEndWith("-o lo -j RETURN");
        lines[4].ShouldContain("--ctstate ESTABLISHED,RELATED -j RETURN");
        lines.ShouldContain("iptables -w -A REMOLT-GUARD -d 10.214.0.0/16 -p tcp -j REJECT --reject-with tcp-reset");
        lines.ShouldContain("iptables -w -A REMOLT-GUARD -d 169.254.0.0/16 -j REJECT --reject-with icmp-admin-prohibited");
    }

    [Fact]
    public void AddDockerRuntime_InvalidPool_FailsOnResolve()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { ["REMOLT_SANDBOX_SUBNET_POOL"] = "nope" }).Build();
        using var provider = new ServiceCollection().AddLogging().AddDockerRuntime(configuration).BuildServiceProvider();

        Should.Throw<OptionsValidationException>(() => provider.GetRequiredService<IOptions<DockerOptions>>().Value)
            .Message.ShouldContain("REMOLT_SANDBOX_SUBNET_POOL");
        Should.Throw<OptionsValidationException>(() => provider.GetRequiredService<DockerRuntime>());
    }

    private static DockerOptions Bind(Dictionary<string, string?> values)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(values).Build();
        return configuration.Get<DockerOptions>() ?? new DockerOptions();
    }
}
