using System.Net;
using RemoltBlazor.Sandboxes.Docker;

namespace RemoltBlazor.Sandboxes.Tests.Docker;

public sealed class DockerHostAddressesTests
{
    private static readonly IPAddress[] s_host = [IPAddress.Parse("192.0.2.2"), IPAddress.Parse("172.17.0.1"), IPAddress.Parse("172.20.0.1")];

    [Fact]
    public void NetworksToAdd_ServerOnItsOwnBridge_HostAddressesAndTheWholeOwnSubnet()
    {
        var added = DockerHostAddresses.NetworksToAdd([(IPAddress.Parse("172.20.0.2"), 16)], s_host);

        added.ShouldBe([IPNetwork.Parse("172.20.0.0/16"), IPNetwork.Parse("192.0.2.2/32"), IPNetwork.Parse("172.17.0.1/32"), IPNetwork.Parse("172.20.0.1/32")]);
    }

    [Fact]
    public void NetworksToAdd_ServerInTheEngineHostsNetworkNamespace_Nothing()
    {
        // --network host, or the engine inside the same container: own addresses are the host's, covered already.
        DockerHostAddresses.NetworksToAdd([(IPAddress.Parse("192.0.2.2"), 24), (IPAddress.Parse("172.17.0.1"), 16)], s_host).ShouldBeEmpty();
    }
}
