using System.Net;
using RemoltBlazor.Sandboxes.Docker;

namespace RemoltBlazor.Sandboxes.Tests.Docker;

public sealed class FibTrieTests
{
    // Read on a Docker host: a session bridge, loopback and eth0, in both tables (Main and Local).
    private const string Sample = """
        Main:
          +-- 0.0.0.0/0 3 0 5
             +-- 0.0.0.0/4 2 0 2
                |-- 0.0.0.0
                   /0 universe UNICAST
                +-- 10.213.0.0/26 3 0 6
                   +-- 10.213.0.0/31 1 0 0
                      |-- 10.213.0.0
                         /28 link UNICAST
                      |-- 10.213.0.1
                         /32 host LOCAL
                   |-- 10.213.0.15
                      /32 link BROADCAST
             +-- 127.0.0.0/8 2 0 2
                +-- 127.0.0.0/31 1 0 0
                   |-- 127.0.0.0
                      /8 host LOCAL
                   |-- 127.0.0.1
                      /32 host LOCAL
             +-- 192.0.2.0/24 2 0 2
                +-- 192.0.2.0/30 2 0 2
                   |-- 192.0.2.0
                      /24 link UNICAST
                   |-- 192.0.2.2
                      /32 host LOCAL
                |-- 192.0.2.255
                   /32 link BROADCAST
        Local:
          +-- 0.0.0.0/0 3 0 5
                   |-- 192.0.2.2
                      /32 host LOCAL
                   |-- 172.17.0.1
                      /32 host LOCAL
        """;

    [Fact]
    public void LocalAddresses_HostLocalLeavesOnly_WithoutLoopbackOrDuplicates()
    {
        FibTrie.LocalAddresses(Sample).ShouldBe([IPAddress.Parse("10.213.0.1"), IPAddress.Parse("192.0.2.2"), IPAddress.Parse("172.17.0.1")]);
    }

    [Fact]
    public void LocalAddresses_BroadcastAndNetworkLeaves_AreNotAddresses()
    {
        var found = FibTrie.LocalAddresses(Sample);
        found.ShouldNotContain(IPAddress.Parse("10.213.0.15"));
        found.ShouldNotContain(IPAddress.Parse("192.0.2.0"));
    }

    [Fact]
    public void LocalAddresses_NothingReadable_Empty()
    {
        FibTrie.LocalAddresses("").ShouldBeEmpty();
        FibTrie.LocalAddresses("cat: /proc/net/fib_trie: No such file or directory").ShouldBeEmpty();
    }
}
