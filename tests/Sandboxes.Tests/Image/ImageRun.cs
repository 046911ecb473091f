using RemoltBlazor.TestSupport;

namespace RemoltBlazor.Sandboxes.Tests.Image;

/// <summary>The docker CLI for image tests: exit code, stdout and stderr, with a timeout.</summary>
internal static class ImageRun
{
    private static readonly TimeSpan s_timeout = TimeSpan.FromSeconds(90);

    public static Task<(int ExitCode, string Stdout, string Stderr)> DockerAsync(params string[] args) => DockerCli.ExecuteAsync(args, s_timeout);
}
