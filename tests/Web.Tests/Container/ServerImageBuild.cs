using RemoltBlazor.TestSupport;

namespace RemoltBlazor.Web.Tests.Container;

/// <summary>
/// <c>container/build-server-image.sh --local-bases</c>, once per test process (the script itself skips an unchanged
/// image by its content hash). The build's RUN steps use the host's network: they only download packages, and so
/// the build does not depend on the engine's default bridge (another engine on the same host started with
/// <c>--bridge none</c> deletes docker0).
/// </summary>
internal static class ServerImageBuild
{
    private static readonly TimeSpan s_timeout = TimeSpan.FromMinutes(30);
    private static readonly Lock s_gate = new();
    private static Task<string>? s_build;

    /// <summary>Builds (or finds) <see cref="ServerContainerFixture.Image"/>; returns the script's output.</summary>
    public static Task<string> RunAsync()
    {
        lock (s_gate)
        {
            if (s_build is null || s_build.IsFaulted || s_build.IsCanceled)
            {
                s_build = Task.Run(async () =>
                {
                    List<string> arguments = ["--local-bases", "--network", "host", "--tag", ServerContainerFixture.Image];
                    if (Environment.GetEnvironmentVariable("SSL_CERT_FILE") is { Length: > 0 } ca && File.Exists(ca))
                    {
                        arguments.AddRange(["--extra-ca", ca]);
                    }

                    var result = await ImageBuildScript.RunScriptAsync("build-server-image.sh", arguments, timeout: s_timeout);
                    return result.ExitCode == 0
                        ? result.Output
                        : throw new InvalidOperationException(
                            $"container/build-server-image.sh failed with exit code {result.ExitCode}. Log {result.LogPath}:\n{ImageBuildScript.Tail(result.Output)}");
                });
            }

            return s_build;
        }
    }
}
