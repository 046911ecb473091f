namespace RemoltBlazor.TestSupport;

/// <summary>
/// The sandbox image the Docker tests run. <see cref="EnsureBuiltAsync"/> runs <c>container/build-images.sh
/// --test-base</c> (see <see cref="ImageBuildScript"/>), which builds the base only, once per process; the script
/// itself skips the build when an image with the same content hash exists.
/// </summary>
public static class SandboxImage
{
    /// <summary>
    /// <c>remolt-sandbox</c>, or <c>REMOLT_TEST_SANDBOX_IMAGE</c> when set (to try image changes without rebuilding
    /// the image other worktrees' tests use).
    /// </summary>
    public static string Name { get; } =
        Environment.GetEnvironmentVariable("REMOLT_TEST_SANDBOX_IMAGE") is { Length: > 0 } name ? name : "remolt-sandbox";

    private static readonly object s_gate = new();
    private static Task<string>? s_build;

    /// <summary>Builds the image if needed; returns its name. Throws with the tail of the script's output on failure.</summary>
    public static Task<string> EnsureBuiltAsync()
    {
        lock (s_gate)
        {
            // A failed build is not cached for ever: the next caller tries again.
            if (s_build is null || s_build.IsFaulted || s_build.IsCanceled)
            {
                s_build = Task.Run(async () =>
                {
                    await ImageBuildScript.RunCheckedAsync(["--no-agents"]);
                    return Name;
                });
            }

            return s_build;
        }
    }

    public static string FindRepoRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "RemoltBlazor.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException($"RemoltBlazor.sln not found above {AppContext.BaseDirectory}.");
    }
}
