namespace RemoltBlazor.TestSupport.Kubernetes;

/// <summary>How a <see cref="FakeApiServer"/> runs its pods.</summary>
public sealed class FakeApiServerOptions
{
    public FakePodBackend Pods { get; init; } = FakePodBackend.Local;

    /// <summary>The one node's allocatable cpu and memory: pods whose requests do not fit next to the scheduled ones stay Unschedulable (Docker backend).</summary>
    public FakeNodeCapacity NodeCapacity { get; init; } = new();

    /// <summary>How often a watch with <c>allowWatchBookmarks=true</c> gets a BOOKMARK (the real server's is about a minute).</summary>
    public TimeSpan WatchBookmarkInterval { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>The Docker engine's socket for <see cref="FakePodBackend.Docker"/>.</summary>
    public string DockerSocket { get; init; } = "/var/run/docker.sock";
}
