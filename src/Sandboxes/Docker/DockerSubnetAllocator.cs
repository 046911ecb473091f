using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;
using Docker.DotNet.Models;

namespace RemoltBlazor.Sandboxes.Docker;

/// <summary>
/// Carves the configured pool into /28 session subnets. The engine's default address pools give out /16 and /20
/// blocks and run dry near 30 networks, so every session network gets an explicit subnet instead.
/// </summary>
internal static class DockerSubnetAllocator
{
    private const int BlockSize = 1 << (32 - DockerOptionsValidator.SessionPrefixLength);

    /// <summary>The /28 blocks of <paramref name="pool"/> that overlap none of <paramref name="used"/>, lowest first.</summary>
    public static IEnumerable<IPNetwork> FreeSubnets(IPNetwork pool, IReadOnlyList<IPNetwork> used)
    {
        var start = ToUInt32(pool.BaseAddress);
        var count = 1L << (32 - pool.PrefixLength);
        for (long offset = 0; offset < count; offset += BlockSize)
        {
            var candidate = new IPNetwork(FromUInt32((uint)(start + offset)), DockerOptionsValidator.SessionPrefixLength);
            if (!used.Any(u => Overlaps(u, candidate)))
            {
                yield return candidate;
            }
        }
    }

    /// <summary>The first host address, which Docker's bridge driver would also pick as gateway.</summary>
    public static IPAddress Gateway(IPNetwork subnet) => FromUInt32(ToUInt32(subnet.BaseAddress) + 1);

    /// <summary>Every IPv4 subnet the engine's networks already use; unparsable or IPv6 entries cannot collide.</summary>
    public static IReadOnlyList<IPNetwork> UsedSubnets(IEnumerable<NetworkResponse> networks) =>
        [.. networks
            .SelectMany(n => n.IPAM?.Config ?? [])
            .Select(c => IPNetwork.TryParse(c.Subnet, out var net) ? net : (IPNetwork?)null)
            .OfType<IPNetwork>()
            .Where(n => n.BaseAddress.AddressFamily == AddressFamily.InterNetwork)];

    public static bool Overlaps(IPNetwork a, IPNetwork b) =>
        a.BaseAddress.AddressFamily == b.BaseAddress.AddressFamily && (a.Contains(b.BaseAddress) || b.Contains(a.BaseAddress));

    private static uint ToUInt32(IPAddress address)
    {
        Span<byte> bytes = stackalloc byte[4];
        address.TryWriteBytes(bytes, out _);
        return BinaryPrimitives.ReadUInt32BigEndian(bytes);
    }

    private static IPAddress FromUInt32(uint value)
    {
        Span<byte> bytes = stackalloc byte[4];
        BinaryPrimitives.WriteUInt32BigEndian(bytes, value);
        return new IPAddress(bytes);
    }
}
