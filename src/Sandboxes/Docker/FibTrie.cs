using System.Net;
using System.Net.Sockets;

namespace RemoltBlazor.Sandboxes.Docker;

/// <summary>
/// Reads the local IPv4 addresses out of <c>/proc/net/fib_trie</c>: every leaf (<c>|-- 10.0.0.5</c>) followed by a
/// <c>/32 host LOCAL</c> line is an address of the namespace. Any image has <c>cat</c>; not every one has <c>ip</c>.
/// </summary>
internal static class FibTrie
{
    public static IReadOnlyList<IPAddress> LocalAddresses(string fibTrie)
    {
        var found = new List<IPAddress>();
        IPAddress? leaf = null;
        foreach (var raw in fibTrie.Split('\n'))
        {
            var line = raw.Trim();
            if (line.StartsWith("|-- ", StringComparison.Ordinal))
            {
                leaf = IPAddress.TryParse(line[4..], out var address) && address.AddressFamily == AddressFamily.InterNetwork ? address : null;
            }
            else if (line.StartsWith("+-- ", StringComparison.Ordinal) || line.EndsWith(':'))
            {
                leaf = null; // a new subtree, or the next table (Main:, Local:)
            }
            else if (leaf is not null && line == "/32 host LOCAL" && !IPAddress.IsLoopback(leaf) && !found.Contains(leaf))
            {
                found.Add(leaf);
            }
        }

        return found;
    }
}
