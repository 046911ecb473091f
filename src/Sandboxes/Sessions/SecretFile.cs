using System.Text;

namespace RemoltBlazor.Sandboxes.Sessions;

/// <summary>
/// Renders secrets as a shell file (<c>export K='v'</c>) to be written over stdin into the sandbox, where only
/// <c>dev</c> can read it and every login shell sources it (the image's /etc/profile.d hook).
/// </summary>
internal static class SecretFile
{
    public const string Path = "/home/dev/.remolt/env";

    /// <summary>The command that stores stdin as the secret file; it carries no secret itself.</summary>
    public static IReadOnlyList<string> WriteCommand { get; } =
        ["bash", "-c", "umask 077 && mkdir -p /home/dev/.remolt && cat > /home/dev/.remolt/env.tmp && mv /home/dev/.remolt/env.tmp " + Path];

    public static byte[] Render(IReadOnlyDictionary<string, string> secrets)
    {
        var text = new StringBuilder();
        foreach (var (key, value) in secrets.OrderBy(s => s.Key, StringComparer.Ordinal))
        {
            text.Append("export ").Append(key).Append("='").Append(value.Replace("'", "'\\''", StringComparison.Ordinal)).Append("'\n");
        }

        return Encoding.UTF8.GetBytes(text.ToString());
    }
}
