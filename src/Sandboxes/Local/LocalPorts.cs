using System.Globalization;
using System.Net;

namespace RemoltBlazor.Sandboxes.Local;

/// <summary>
/// On the host network a sandbox's loopback is the host's, shared by every session: a port is this sandbox's only
/// when one of its processes holds the listening socket. Found in /proc/net/tcp{,6} (the socket's inode) and then in
/// the sandbox's processes' fd tables, so one session can never preview another's port (or the server's own). The
/// check comes just before the connect: a listener closed in between and taken by another session at once would be
/// reached; REMOLT_LOCAL_NETWORK=none (a network of each sandbox's own) has no such window.
/// </summary>
internal static class LocalPorts
{
    private const string Listen = "0A";

    /// <summary>The loopback address to dial when a process of <paramref name="pids"/> listens on the port there; else null.</summary>
    public static IPAddress? OwnedListener(int port, IReadOnlyCollection<int> pids)
    {
        var listeners = new Dictionary<string, IPAddress>(StringComparer.Ordinal);
        Collect("/proc/net/tcp", port, IPAddress.Loopback, listeners);
        Collect("/proc/net/tcp6", port, IPAddress.IPv6Loopback, listeners);
        if (listeners.Count == 0)
        {
            return null;
        }

        foreach (var pid in pids)
        {
            IEnumerable<string> fds;
            try
            {
                fds = Directory.EnumerateFileSystemEntries($"/proc/{pid}/fd").ToList();
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                continue;
            }

            foreach (var fd in fds)
            {
                string? target;
                try
                {
                    target = new FileInfo(fd).LinkTarget;
                }
                catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
                {
                    continue;
                }

                if (target is not null && target.StartsWith("socket:[", StringComparison.Ordinal) && listeners.TryGetValue(target[8..^1], out var address))
                {
                    return address;
                }
            }
        }

        return null;
    }

    /// <summary>Listening sockets on <paramref name="port"/> reachable at loopback (bound to it or to any address), by inode.</summary>
    private static void Collect(string table, int port, IPAddress dial, Dictionary<string, IPAddress> listeners)
    {
        string[] lines;
        try
        {
            lines = File.ReadAllLines(table);
        }
        catch (IOException)
        {
            return; // No IPv6 in this kernel.
        }

        foreach (var line in lines.Skip(1))
        {
            // sl local_address rem_address st tx:rx tr:when retrnsmt uid timeout inode
            var f = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            if (f.Length < 10 || f[3] != Listen)
            {
                continue;
            }

            var colon = f[1].IndexOf(':', StringComparison.Ordinal);
            if (colon < 0 || int.Parse(f[1][(colon + 1)..], NumberStyles.HexNumber, CultureInfo.InvariantCulture) != port)
            {
                continue;
            }

            var address = f[1][..colon];
            if (address.Trim('0').Length == 0 || IsLoopback(address))
            {
                listeners[f[9]] = dial;
            }
        }
    }

    /// <summary>127.0.0.0/8 (little-endian hex, so its last byte is 7F) or ::1 and the IPv4-mapped 127.x in tcp6.</summary>
    private static bool IsLoopback(string hex) => hex.Length == 8
        ? hex.EndsWith("7F", StringComparison.Ordinal)
        : hex == "00000000000000000000000001000000" || (hex.StartsWith("0000000000000000FFFF0000", StringComparison.Ordinal) && hex.EndsWith("7F", StringComparison.Ordinal));
}
