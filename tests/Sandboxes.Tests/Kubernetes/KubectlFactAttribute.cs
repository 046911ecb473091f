using RemoltBlazor.TestSupport;

namespace RemoltBlazor.Sandboxes.Tests.Kubernetes;

/// <summary>
/// A fact that runs the machine's real kubectl. Skips where kubectl is not on PATH, except in CI (<c>CI=true</c>),
/// where it fails instead (.ci/run installs it).
/// </summary>
public sealed class KubectlFactAttribute : FactAttribute
{
    public KubectlFactAttribute()
    {
        if (!TestEnvironment.IsCi && !Available)
        {
            Skip = "kubectl is not on PATH: apt-get install -y kubernetes-client (with CI=true this test fails instead).";
        }
    }

    public static bool Available => (Environment.GetEnvironmentVariable("PATH") ?? "")
        .Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
        .Any(folder => File.Exists(Path.Combine(folder, "kubectl")));
}
