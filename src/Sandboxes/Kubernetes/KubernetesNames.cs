using System.Security.Cryptography;
using System.Text;

namespace RemoltBlazor.Sandboxes.Kubernetes;

/// <summary>
/// Names and label values derived from untrusted-shaped ids (session ids, logins, agent ids). Kubernetes wants pod
/// names that are DNS-1123 labels and label values of at most 63 characters that start and end alphanumeric; the
/// original used the raw session id and failed about 3% of creates. A readable part is kept and a hash of the raw
/// value keeps ids apart that the cleaning would merge (case, '_' against '-', unicode). The raw values live in
/// annotations, which take any string, and are read back from there.
/// </summary>
public static class KubernetesNames
{
    public const string PodPrefix = "remolt-";
    public const string ClaimPrefix = "remolt-ws-";
    public const int MaxNameLength = 63;
    private const int HashLength = 10;

    /// <summary><c>remolt-{slug}-{hash}</c>, a valid pod name (DNS-1123 label, at most 63 characters).</summary>
    public static string PodName(string sessionId) => Compose(PodPrefix, sessionId);

    /// <summary>The workspace claim of a pod: <c>remolt-ws-{slug}-{hash}</c> of the pod's name (itself unique).</summary>
    public static string ClaimName(string podName) =>
        podName.StartsWith(PodPrefix, StringComparison.Ordinal) && ClaimPrefix.Length - PodPrefix.Length + podName.Length <= MaxNameLength
            ? ClaimPrefix + podName[PodPrefix.Length..]
            : Compose(ClaimPrefix, podName);

    /// <summary>The value itself when it is a valid label value, else a cleaned part and a hash of it.</summary>
    public static string LabelValue(string raw)
    {
        if (IsValidLabelValue(raw))
        {
            return raw;
        }

        var slug = Slug(raw, lowercase: false, MaxNameLength - HashLength - 1);
        return slug.Length == 0 ? Hash(raw) : $"{slug}-{Hash(raw)}";
    }

    public static bool IsValidLabelValue(string value) =>
        value.Length == 0 || (value.Length <= MaxNameLength && IsAlphanumeric(value[0]) && IsAlphanumeric(value[^1])
            && value.All(c => IsAlphanumeric(c) || c is '-' or '_' or '.'));

    public static bool IsValidName(string name) =>
        name.Length is > 0 and <= MaxNameLength && IsLowerAlphanumeric(name[0]) && IsLowerAlphanumeric(name[^1])
        && name.All(c => IsLowerAlphanumeric(c) || c == '-');

    private static string Compose(string prefix, string raw)
    {
        var slug = Slug(raw, lowercase: true, MaxNameLength - prefix.Length - HashLength - 1);
        return slug.Length == 0 ? prefix + Hash(raw) : $"{prefix}{slug}-{Hash(raw)}";
    }

    /// <summary>Allowed characters kept, everything else '-', then trimmed to alphanumerics at both ends.</summary>
    private static string Slug(string raw, bool lowercase, int maxLength)
    {
        var builder = new StringBuilder(Math.Min(raw.Length, maxLength));
        foreach (var c in raw)
        {
            if (builder.Length == maxLength)
            {
                break;
            }

            var ch = lowercase ? char.ToLowerInvariant(c) : c;
            builder.Append(lowercase ? (IsLowerAlphanumeric(ch) ? ch : '-') : (IsAlphanumeric(ch) || ch is '_' or '.' ? ch : '-'));
        }

        var slug = builder.ToString();
        var start = 0;
        var end = slug.Length;
        while (start < end && !IsAlphanumeric(slug[start]))
        {
            start++;
        }

        while (end > start && !IsAlphanumeric(slug[end - 1]))
        {
            end--;
        }

        return slug[start..end];
    }

    private static string Hash(string raw) =>
        Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(raw)))[..HashLength].ToLowerInvariant();

    private static bool IsAlphanumeric(char c) => char.IsAsciiLetterOrDigit(c);

    private static bool IsLowerAlphanumeric(char c) => char.IsAsciiLetterLower(c) || char.IsAsciiDigit(c);
}
