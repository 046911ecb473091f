using System.Collections.Concurrent;
using System.Net;
using Docker.DotNet;
using Docker.DotNet.Models;

namespace RemoltBlazor.TestSupport.Kubernetes;

/// <summary>
/// The Docker engine behind <see cref="FakePodBackend.Docker"/>: a client pinned to the API version the engine
/// reports (Docker.DotNet does not negotiate, and engine 20.10 refuses newer versions), and the bookkeeping that lets
/// a server remove its own containers, and those a crashed earlier run left behind, by the <see cref="Label"/>.
/// </summary>
internal sealed class FakeDockerEngine : IAsyncDisposable
{
    /// <summary>The label every container of a fake server carries; its value is the server's id.</summary>
    public const string Label = "remolt.fake-k8s";

    // Ids of the servers alive in this process: their containers are never leftovers.
    private static readonly ConcurrentDictionary<string, bool> s_liveServers = new();

    // A leftover is only removed once it is this old, so a server of another test process is left alone.
    private static readonly TimeSpan s_leftoverAge = TimeSpan.FromMinutes(10);

    private readonly string _claims;

    private FakeDockerEngine(DockerClient client, string serverId)
    {
        Client = client;
        ServerId = serverId;
        _claims = Path.Combine(Path.GetTempPath(), "remolt-fake-k8s-claims", serverId);
    }

    public DockerClient Client { get; }

    public string ServerId { get; }

    public static async Task<FakeDockerEngine> StartAsync(string socket, string serverId)
    {
        using var unpinned = Build(socket, null);
        var version = await unpinned.System.GetVersionAsync();
        var engine = new FakeDockerEngine(Build(socket, System.Version.Parse(version.APIVersion)), serverId);
        s_liveServers[serverId] = true;
        await engine.RemoveLeftoversAsync();
        return engine;
    }

    /// <summary>The container of a pod: <c>remolt-fakek8s-{serverId8}-{podName}</c>.</summary>
    public string ContainerName(string podName) => $"remolt-fakek8s-{ServerId[..8]}-{podName}";

    /// <summary>
    /// The host folder standing in for a claim's volume (bind-mounted, so the engine must share this host's file
    /// system, as the local socket does): it outlives pods, so a new pod on the same claim finds the files, and goes
    /// with the server. Owned by root, group <paramref name="fsGroup"/> with setgid and group write, as the kubelet
    /// leaves a volume when the pod sets fsGroup; world-writable without one.
    /// </summary>
    public string ClaimFolder(string ns, string claim, string? fsGroup)
    {
        var folder = Path.Combine(_claims, ns, claim);
        if (!Directory.Exists(folder) && !OperatingSystem.IsWindows())
        {
            Directory.CreateDirectory(folder);
            if (fsGroup is not null)
            {
                using var chgrp = System.Diagnostics.Process.Start("chgrp", [fsGroup, folder]);
                chgrp.WaitForExit();
            }

            File.SetUnixFileMode(folder, fsGroup is null
                ? UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute | UnixFileMode.GroupRead | UnixFileMode.GroupWrite | UnixFileMode.GroupExecute | UnixFileMode.OtherRead | UnixFileMode.OtherWrite | UnixFileMode.OtherExecute
                : UnixFileMode.SetGroup | UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute | UnixFileMode.GroupRead | UnixFileMode.GroupWrite | UnixFileMode.GroupExecute | UnixFileMode.OtherRead | UnixFileMode.OtherExecute);
        }

        return folder;
    }

    public async Task<bool> ImageExistsAsync(string image, CancellationToken cancellationToken)
    {
        try
        {
            await Client.Images.InspectImageAsync(image, cancellationToken);
            return true;
        }
        catch (DockerApiException error) when (error.StatusCode == HttpStatusCode.NotFound)
        {
            return false;
        }
    }

    public async Task RemoveContainerAsync(string nameOrId)
    {
        try
        {
            await Client.Containers.RemoveContainerAsync(nameOrId, new ContainerRemoveParameters { Force = true, RemoveVolumes = true });
        }
        catch (DockerApiException error) when (error.StatusCode is HttpStatusCode.NotFound or HttpStatusCode.Conflict)
        {
            // Already gone, or its removal is already under way.
        }
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            foreach (var container in await ListAsync($"{Label}={ServerId}"))
            {
                await RemoveContainerAsync(container.ID);
            }
        }
        finally
        {
            s_liveServers.TryRemove(ServerId, out _);
            Client.Dispose();
            try
            {
                if (Directory.Exists(_claims))
                {
                    Directory.Delete(_claims, recursive: true);
                }
            }
            catch (IOException)
            {
                // Best effort: the folder is under the temp directory.
            }
        }
    }

    private async Task RemoveLeftoversAsync()
    {
        foreach (var container in await ListAsync(Label))
        {
            if (container.Labels is { } labels && labels.TryGetValue(Label, out var owner) && !s_liveServers.ContainsKey(owner)
                && container.Created < DateTime.UtcNow - s_leftoverAge)
            {
                await RemoveContainerAsync(container.ID);
            }
        }
    }

    private async Task<IList<ContainerListResponse>> ListAsync(string label) =>
        await Client.Containers.ListContainersAsync(new ContainersListParameters
        {
            All = true,
            Filters = new Dictionary<string, IDictionary<string, bool>> { ["label"] = new Dictionary<string, bool> { [label] = true } },
        });

    private static DockerClient Build(string socket, System.Version? apiVersion) =>
        new DockerClientBuilder().WithEndpoint(new Uri("unix://" + socket)).WithApiVersion(apiVersion).WithTimeout(TimeSpan.FromMinutes(2)).Build();
}
