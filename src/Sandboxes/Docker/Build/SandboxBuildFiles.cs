using System.Formats.Tar;
using System.Security.Cryptography;
using System.Text;

namespace RemoltBlazor.Sandboxes.Docker.Build;

/// <summary>
/// The files <c>container/build-images.sh</c> builds the sandbox images from (embedded in this assembly), their build
/// contexts as tar streams, and the content hashes the images carry as <c>remolt.build-hash</c>: the same bytes as
/// the script's <c>base_build_hash</c> and <c>agent_build_hash</c> (container/build-lib.sh) hash, so an image either
/// of them built is up to date for the other. A test runs both on the same inputs.
/// </summary>
internal static class SandboxBuildFiles
{
    public const string HashLabel = "remolt.build-hash";
    public const string BaseImageLabel = "remolt.base-image";
    public const string AgentLabel = "remolt.agent";
    public const string ExtraCaFile = "extra-ca.crt";
    public const string InstallFile = "install.sh";

    /// <summary>The base's context in the script's order (its <c>base_files</c>); <c>extra-ca.crt</c> follows them.</summary>
    public static readonly IReadOnlyList<string> BaseFiles =
        ["Dockerfile.base", "entrypoint.sh", "tmux.conf", "welcome.sh", "git-credential-remolt", "gh-wrapper", "code-server-start.sh", "code-server-stand-in.js"];

    public const string AgentDockerfile = "Dockerfile.agent";

    // Executable in the repository; Dockerfile.base sets the modes it needs itself, this only keeps the tar honest.
    private static readonly HashSet<string> s_executable = ["entrypoint.sh", "git-credential-remolt", "gh-wrapper", "code-server-start.sh"];

    /// <summary>One of the embedded <c>container/</c> files.</summary>
    public static byte[] Read(string name)
    {
        using var stream = typeof(SandboxBuildFiles).Assembly.GetManifestResourceStream($"container/{name}")
            ?? throw new InvalidOperationException($"container/{name} is not embedded in {typeof(SandboxBuildFiles).Assembly.GetName().Name}.");
        using var copy = new MemoryStream();
        stream.CopyTo(copy);
        return copy.ToArray();
    }

    /// <summary>The base's context: its files, then the extra CA (empty when none).</summary>
    public static IReadOnlyList<(string Name, byte[] Content)> BaseContext(byte[] extraCa) =>
        [.. BaseFiles.Select(name => (name, Read(name))), (ExtraCaFile, extraCa)];

    /// <summary>An agent's context: <c>Dockerfile.agent</c> and its <c>install.sh</c> (empty when it has none).</summary>
    public static IReadOnlyList<(string Name, byte[] Content)> AgentContext(byte[] installScript) =>
        [(AgentDockerfile, Read(AgentDockerfile)), (InstallFile, installScript)];

    /// <summary>build-lib.sh's <c>base_build_hash</c>: each file after a <c>== name</c> line, then the base and code-server choice.</summary>
    public static string BaseHash(IReadOnlyList<(string Name, byte[] Content)> context, string baseImage, string codeServer, string codeServerSource)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        foreach (var (name, content) in context)
        {
            Append(hash, $"== {name}\n");
            hash.AppendData(content);
        }

        Append(hash, $"== base\n{baseImage}\n== code-server\n{codeServer} {codeServerSource}\n");
        return Convert.ToHexStringLower(hash.GetHashAndReset());
    }

    /// <summary>build-lib.sh's <c>agent_build_hash</c>: Dockerfile.agent, agent.json, install.sh, then the base image's id.</summary>
    public static string AgentHash(byte[] dockerfile, byte[] agentJson, byte[] installScript, string baseImageId)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        Append(hash, "== Dockerfile.agent\n");
        hash.AppendData(dockerfile);
        Append(hash, "== agent.json\n");
        hash.AppendData(agentJson);
        Append(hash, "== install.sh\n");
        hash.AppendData(installScript);
        Append(hash, $"== base\n{baseImageId}\n");
        return Convert.ToHexStringLower(hash.GetHashAndReset());
    }

    /// <summary>The context as the tar stream the engine's build endpoint takes.</summary>
    public static MemoryStream Tar(IReadOnlyList<(string Name, byte[] Content)> context)
    {
        var tar = new MemoryStream();
        using (var writer = new TarWriter(tar, TarEntryFormat.Ustar, leaveOpen: true))
        {
            foreach (var (name, content) in context)
            {
                writer.WriteEntry(new UstarTarEntry(TarEntryType.RegularFile, name)
                {
                    DataStream = new MemoryStream(content),
                    Mode = s_executable.Contains(name)
                        ? UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute | UnixFileMode.GroupRead | UnixFileMode.GroupExecute | UnixFileMode.OtherRead | UnixFileMode.OtherExecute
                        : UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead,
                    ModificationTime = DateTimeOffset.UnixEpoch,
                });
            }
        }

        tar.Position = 0;
        return tar;
    }

    /// <summary>
    /// How many steps the engine's builder will number (<c>Step N/M</c>): one per instruction, comments, blank lines
    /// and continuation lines not counted. Only the total before the build starts; the engine's own M corrects it.
    /// </summary>
    public static int CountSteps(byte[] dockerfile)
    {
        var steps = 0;
        var continued = false;
        foreach (var raw in Encoding.UTF8.GetString(dockerfile).Split('\n'))
        {
            var line = raw.Trim();
            if (line.Length == 0 || line.StartsWith('#'))
            {
                continue;
            }

            if (!continued)
            {
                steps++;
            }

            continued = line.EndsWith('\\');
        }

        return steps;
    }

    private static void Append(IncrementalHash hash, string text) => hash.AppendData(Encoding.UTF8.GetBytes(text));
}
