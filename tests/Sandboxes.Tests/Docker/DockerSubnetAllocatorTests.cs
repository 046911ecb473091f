using System.Net;
using RemoltBlazor.Sandboxes.Docker;
using Docker.DotNet.Models;

namespace RemoltBlazor.Sandboxes.Tests.Docker;

public sealed class DockerSubnetAllocatorTests
{
    [Fact]
    public void FreeSubnets_EmptyEngine_Yields4096SlashTwentyEightsInOrder()
    {
        var free = DockerSubnetAllocator.FreeSubnets(IPNetwork.Parse("10.213.0.0/16"), []).ToList();

        free.Count.ShouldBe(4096);
        free[0].ToString().ShouldBe("10.213.0.0/28");
        free[1].ToString().ShouldBe("10.213.0.16/28");
        free[^1].ToString().ShouldBe("10.213.255.240/28");
    }

    [Fact]
    public void FreeSubnets_UsedSubnetsAndSupernet_SkipsEveryOverlap()
    {
        IReadOnlyList<IPNetwork> used = [IPNetwork.Parse("10.213.0.0/28"), IPNetwork.Parse("10.213.0.32/27"), IPNetwork.Parse("fd00::/64")];

        var free = DockerSubnetAllocator.FreeSubnets(IPNetwork.Parse("10.213.0.0/25"), used).Select(n => n.ToString()).ToList();

        free.ShouldBe(["10.213.0.16/28", "10.213.0.64/28", "10.213.0.80/28", "10.213.0.96/28", "10.213.0.112/28"]);
        DockerSubnetAllocator.FreeSubnets(IPNetwork.Parse("10.213.0.0/25"), [IPNetwork.Parse("10.0.0.0/8")]).ShouldBeEmpty();
    }

    [Fact]
    public void Gateway_Subnet_IsFirstHost()
    {
        DockerSubnetAllocator.Gateway(IPNetwork.Parse("10.213.1.48/28")).ToString().ShouldBe("10.213.1.49");
    }

    [Fact]
    public void UsedSubnets_EngineNetworks_ParsesIpv4AndIgnoresJunk()
    {
        NetworkResponse[] networks =
        [
            new() { ID = "1", Name = "bridge", IPAM = new IPAM { Config = [new IPAMConfig { Subnet = "172.17.0.0/16" }] } },
            new() { ID = "2", Name = "host", IPAM = new IPAM { Config = [] } },
            new() { ID = "3", Name = "odd", IPAM = new IPAM { Config = [new IPAMConfig { Subnet = "not-a-subnet" }, new IPAMConfig { Subnet = "fd00::/64" }] } },
            new() { ID = "4", Name = "none" },
        ];

        DockerSubnetAllocator.UsedSubnets(networks).Select(n => n.ToString()).ShouldBe(["172.17.0.0/16"]);
    }
}
