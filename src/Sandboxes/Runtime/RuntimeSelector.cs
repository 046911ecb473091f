namespace RemoltBlazor.Sandboxes.Runtime;

/// <summary>Which runtime serves sandboxes, and why (logged at start, so an operator sees what auto found).</summary>
/// <param name="Runtime">"kubernetes", "docker" or "local".</param>
/// <param name="Reason">What decided it: the setting, or what auto found.</param>
public sealed record RuntimeSelection(string Runtime, string Reason)
{
    /// <summary>
    /// Set when auto found nothing usable (the Docker runtime is then used, so an engine started later is picked up
    /// without a restart): what to install, instead of the chosen runtime's own remedy.
    /// </summary>
    public RuntimeRemedy? NoneFound { get; init; }
}

/// <summary>What the host offers, asked only as far as the choice needs it (each check may take a moment).</summary>
internal sealed record RuntimeHostFacts(Func<bool> InCluster, Func<bool> DockerAnswers, Func<string, bool> OnPath);

/// <summary>
/// <c>REMOLT_RUNTIME</c>: <c>kubernetes</c>, <c>docker</c>, <c>local</c> (bubblewrap and tmux on this host), or
/// <c>auto</c> (the default): a Kubernetes service account, else a Docker engine that answers, else <c>bwrap</c> and
/// <c>tmux</c> on the PATH, the order of the issue "the embedded default".
/// </summary>
internal static class RuntimeSelector
{
    public const string Kubernetes = "kubernetes";
    public const string Docker = "docker";
    public const string Local = "local";

    /// <summary>The setting, checked; throws with the allowed values when it is none of them.</summary>
    public static string Normalize(string? setting) => (setting ?? "").Trim().ToLowerInvariant() switch
    {
        "" or "auto" => "auto",
        "kubernetes" or "k8s" => Kubernetes,
        "docker" => Docker,
        "local" or "bubblewrap" or "bwrap" => Local,
        _ => throw new InvalidOperationException($"REMOLT_RUNTIME is '{setting}'; it must be auto, docker, kubernetes or local."),
    };

    public static RuntimeSelection Select(string? setting, RuntimeHostFacts facts)
    {
        var runtime = Normalize(setting);
        if (runtime != "auto")
        {
            return new RuntimeSelection(runtime, $"REMOLT_RUNTIME={runtime}");
        }

        if (facts.InCluster())
        {
            return new RuntimeSelection(Kubernetes, "auto: this process runs in a pod with a service-account token");
        }

        if (facts.DockerAnswers())
        {
            return new RuntimeSelection(Docker, "auto: a Docker engine answers");
        }

        var missing = new[] { "bwrap", "tmux" }.Where(tool => !facts.OnPath(tool)).ToList();
        if (missing.Count == 0)
        {
            return new RuntimeSelection(Local, "auto: no cluster and no Docker engine; bwrap and tmux are on the PATH");
        }

        return new RuntimeSelection(Docker, $"auto: no cluster, no Docker engine answers, and {string.Join(" and ", missing)} {(missing.Count == 1 ? "is" : "are")} not on the PATH")
        {
            NoneFound = new RuntimeRemedy(
                $"No sandbox runtime was found on this machine. Install bubblewrap and tmux to run sandboxes on this host ({string.Join(" and ", missing)} {(missing.Count == 1 ? "is" : "are")} missing), " +
                "or install and start Docker for container sandboxes; then restart RemoltBlazor.",
                "sudo apt-get install -y bubblewrap tmux\n# or, for container sandboxes:\nsudo apt-get install -y docker.io && sudo systemctl start docker"),
        };
    }

    /// <summary>Whether <paramref name="tool"/> is an executable file in a folder of <c>PATH</c> (never on Windows, which has no bubblewrap).</summary>
    public static bool IsOnPath(string tool)
    {
        if (OperatingSystem.IsWindows())
        {
            return false;
        }

        const UnixFileMode executable = UnixFileMode.UserExecute | UnixFileMode.GroupExecute | UnixFileMode.OtherExecute;
        foreach (var folder in (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':', StringSplitOptions.RemoveEmptyEntries))
        {
            var path = Path.Combine(folder, tool);
            if (File.Exists(path) && (File.GetUnixFileMode(path) & executable) != 0)
            {
                return true;
            }
        }

        return false;
    }
}
