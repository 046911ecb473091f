using System.Net.Sockets;
using System.Text;
using Xunit;

namespace RemoltBlazor.TestSupport;

/// <summary>
/// What the machine running the tests offers. In CI (<c>CI=true</c>) nothing is skipped: a missing Docker engine or
/// Chromium makes the tests that need it fail. Elsewhere they skip with a reason that says how to get it.
/// </summary>
public static class TestEnvironment
{
    public const string ChromiumPath = "/usr/bin/chromium";

    private static readonly Lazy<bool> s_docker = new(PingDocker);

    /// <summary>
    /// The CA bundle <c>SSL_CERT_FILE</c> names, if it exists (else empty): what <see cref="ImageBuildScript"/> passes as
    /// <c>--extra-ca</c>, and so what a server building images in a test must trust for its hashes to agree.
    /// </summary>
    public static string ExtraCaFile =>
        Environment.GetEnvironmentVariable("SSL_CERT_FILE") is { Length: > 0 } file && File.Exists(file) ? file : "";

    public static bool IsCi => string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase);

    public static string DockerSocketPath
    {
        get
        {
            var host = Environment.GetEnvironmentVariable("DOCKER_HOST");
            return host is not null && host.StartsWith("unix://", StringComparison.Ordinal) ? host["unix://".Length..] : "/var/run/docker.sock";
        }
    }

    public static bool DockerAvailable => s_docker.Value;

    public static bool ChromiumAvailable => File.Exists(ChromiumPath);

    public static string? DockerSkipReason =>
        IsCi || DockerAvailable ? null
        : $"No Docker engine answers at {DockerSocketPath}: install docker.io and start dockerd (with CI=true this test fails instead).";

    public static string? BrowserSkipReason =>
        DockerSkipReason ?? (IsCi || ChromiumAvailable ? null
        : $"Chromium is not at {ChromiumPath}: apt-get install -y chromium (with CI=true this test fails instead).");

    /// <summary>Why the local (bubblewrap) runtime cannot run here; null with bwrap, tmux and socat on the PATH, or in CI.</summary>
    public static string? LocalSkipReason
    {
        get
        {
            var missing = new[] { "bwrap", "tmux", "socat" }.Where(tool => !OnPath(tool)).ToList();
            return IsCi || missing.Count == 0 ? null
                : $"Missing on the PATH: {string.Join(", ", missing)}: apt-get install -y bubblewrap tmux socat (with CI=true this test fails instead).";
        }
    }

    private static bool OnPath(string tool) =>
        (Environment.GetEnvironmentVariable("PATH") ?? "/usr/bin:/bin").Split(':', StringSplitOptions.RemoveEmptyEntries).Any(folder => File.Exists(Path.Combine(folder, tool)));

    private static bool PingDocker()
    {
        try
        {
            using var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
            socket.ReceiveTimeout = 2000;
            socket.Connect(new UnixDomainSocketEndPoint(DockerSocketPath));
            socket.Send(Encoding.ASCII.GetBytes("GET /_ping HTTP/1.0\r\nHost: docker\r\n\r\n"));
            var buffer = new byte[256];
            var read = socket.Receive(buffer);
            return Encoding.ASCII.GetString(buffer, 0, read).Contains(" 200 ", StringComparison.Ordinal);
        }
        catch (SocketException)
        {
            return false;
        }
    }
}

/// <summary>A fact that needs a real Docker engine.</summary>
public sealed class DockerFactAttribute : FactAttribute
{
    public DockerFactAttribute() => Skip = TestEnvironment.DockerSkipReason;
}

/// <summary>A theory that needs a real Docker engine (the theory twin of <see cref="DockerFactAttribute"/>).</summary>
public sealed class DockerTheoryAttribute : TheoryAttribute
{
    public DockerTheoryAttribute() => Skip = TestEnvironment.DockerSkipReason;
}

/// <summary>A fact that needs the local runtime's tools (bubblewrap, tmux, socat).</summary>
public sealed class LocalFactAttribute : FactAttribute
{
    public LocalFactAttribute() => Skip = TestEnvironment.LocalSkipReason;
}

/// <summary>A fact that needs a real Docker engine and Debian's Chromium.</summary>
public sealed class BrowserFactAttribute : FactAttribute
{
    public BrowserFactAttribute() => Skip = TestEnvironment.BrowserSkipReason;
}

/// <summary>A fact that needs the local runtime's tools and Debian's Chromium, and no Docker engine.</summary>
public sealed class LocalBrowserFactAttribute : FactAttribute
{
    public LocalBrowserFactAttribute() => Skip = TestEnvironment.LocalSkipReason ?? (TestEnvironment.IsCi || TestEnvironment.ChromiumAvailable ? null
        : $"Chromium is not at {TestEnvironment.ChromiumPath}: apt-get install -y chromium (with CI=true this test fails instead).");
}
