using System.Collections.Concurrent;
using System.Globalization;
using System.Text.Json.Nodes;
using Docker.DotNet;
using Docker.DotNet.Models;

namespace RemoltBlazor.TestSupport.Kubernetes;

/// <summary>
/// <see cref="FakePodBackend.Docker"/>: each pod is a Docker container of its image, and its status follows the
/// container as a kubelet reports it (every change a MODIFIED event): Unschedulable when it does not fit the node,
/// ContainerCreating, ImagePullBackOff when the image is not in the engine (nothing is pulled), Running, then
/// Succeeded or Failed with the exit code, or DeadlineExceeded past activeDeadlineSeconds. A pod runs once
/// (restartPolicy is not followed) and only its first container is run.
/// </summary>
internal sealed class FakeDockerPods(FakeResourceStore store, FakeDockerEngine engine, FakeScheduler scheduler) : IFakePodBackend
{
    private readonly ConcurrentDictionary<(string Namespace, string Name), (Task Run, CancellationTokenSource Stop)> _runs = new();
    private readonly ConcurrentDictionary<(string Namespace, string Name), Task> _deletions = new();
    private readonly CancellationTokenSource _disposed = new();

    public void Start(string ns, string name)
    {
        var stop = CancellationTokenSource.CreateLinkedTokenSource(_disposed.Token);
        _runs[(ns, name)] = (Task.Run(() => RunAsync(ns, name, stop.Token)), stop);
    }

    /// <summary>Graceful deletion as the API server does it: deletionTimestamp (MODIFIED), then the container goes, then DELETED.</summary>
    public JsonObject Delete(string ns, string name)
    {
        var marked = store.Update(FakeResourceKind.Pods, ns, name, pod =>
        {
            pod["metadata"]!["deletionTimestamp"] ??= DateTimeOffset.UtcNow.ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture);
            pod["metadata"]!["deletionGracePeriodSeconds"] ??= 30;
        });
        if (_deletions.ContainsKey((ns, name)))
        {
            return marked; // Already being deleted: the real server answers the terminating object again.
        }

        if (!_runs.TryRemove((ns, name), out var run))
        {
            return store.Delete(FakeResourceKind.Pods, ns, name); // Stored directly by a test: nothing runs for it.
        }

        _deletions[(ns, name)] = Task.Run(async () =>
        {
            await run.Stop.CancelAsync();
            await run.Run;
            run.Stop.Dispose();
            await engine.RemoveContainerAsync(engine.ContainerName(name));
            _deletions.TryRemove((ns, name), out _);
            if (store.Exists(FakeResourceKind.Pods, ns, name))
            {
                store.Delete(FakeResourceKind.Pods, ns, name);
            }
        });
        return marked;
    }

    public async Task<IFakeExecProcess> ExecAsync(JsonObject pod, string container, IReadOnlyList<string> command, bool stdin, bool tty, CancellationToken cancellationToken)
    {
        var user = FakePodContainers.User(pod, FakePodContainers.All(pod).First(c => FakePodContainers.Name(c) == container));
        return await FakeDockerExecProcess.StartAsync(engine.Client, ContainerId(pod), user, command, stdin, tty, cancellationToken);
    }

    public async Task WriteLogAsync(JsonObject pod, string container, bool follow, int? tailLines, Stream output, CancellationToken cancellationToken)
    {
        using var logs = await engine.Client.Containers.GetContainerLogsAsync(ContainerId(pod), new ContainerLogsParameters
        {
            ShowStdout = true,
            ShowStderr = true,
            Follow = follow,
            Tail = tailLines?.ToString(CultureInfo.InvariantCulture) ?? "all",
        }, cancellationToken);
        var buffer = new byte[16 * 1024];
        while (await logs.ReadOutputAsync(buffer, 0, buffer.Length, cancellationToken) is { EOF: false } read)
        {
            await output.WriteAsync(buffer.AsMemory(0, read.Count), cancellationToken);
            await output.FlushAsync(cancellationToken);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _disposed.CancelAsync();
        await Task.WhenAll(_runs.Values.Select(run => run.Run).Concat(_deletions.Values));
        await engine.DisposeAsync();
        _disposed.Dispose();
    }

    private static string ContainerId(JsonObject pod) =>
        (pod["status"]?["containerStatuses"]?[0]?["containerID"]?.GetValue<string>() ?? "").Replace("docker://", "", StringComparison.Ordinal);

    private async Task RunAsync(string ns, string name, CancellationToken stop)
    {
        try
        {
            var unschedulable = scheduler.TryBind(ns, name, () => store.Update(FakeResourceKind.Pods, ns, name, FakePodStatuses.ContainerCreating));
            if (unschedulable is not null)
            {
                store.Update(FakeResourceKind.Pods, ns, name, pod => FakePodStatuses.Unschedulable(pod, unschedulable));
                return;
            }

            var pod = store.Get(FakeResourceKind.Pods, ns, name);
            if (!await engine.ImageExistsAsync(FakePodContainers.All(pod)[0]["image"]!.GetValue<string>(), stop))
            {
                store.Update(FakeResourceKind.Pods, ns, name, FakePodStatuses.ImagePullBackOff);
                return;
            }

            var id = (await engine.Client.Containers.CreateContainerAsync(FakeDockerContainerSpec.Parameters(pod, engine.ContainerName(name), engine.ServerId,
                (claimNs, claim) => engine.ClaimFolder(claimNs, claim, FakeDockerContainerSpec.FsGroup(pod))), stop)).ID;
            await engine.Client.Containers.StartContainerAsync(id, new ContainerStartParameters(), stop);
            var started = await engine.Client.Containers.InspectContainerAsync(id, stop);
            store.Update(FakeResourceKind.Pods, ns, name, p => FakePodStatuses.Running(p, Timestamp(started.State!.StartedAt), "docker://" + id));
            await WaitForExitAsync(ns, name, id, stop);
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
            // Deleted or disposed: the deleter removes the container.
        }
        catch (FakeApiException error) when (error.Code == 404)
        {
            // The pod went while it was being started.
        }
        catch (Exception error) when (error is DockerApiException or HttpRequestException or IOException)
        {
            // What a kubelet would report as CreateContainerError / RunContainerError, with the engine's message;
            // after a stop (delete, dispose) the engine's broken-off answers mean nothing.
            if (!stop.IsCancellationRequested)
            {
                TryUpdate(ns, name, pod => pod["status"] = new JsonObject { ["phase"] = "Failed", ["reason"] = "RunContainerError", ["message"] = error.Message });
            }
        }
    }

    private async Task WaitForExitAsync(string ns, string name, string id, CancellationToken stop)
    {
        // activeDeadlineSeconds is read again and again: it may be set or shortened on a running pod (a PATCH).
        var exited = engine.Client.Containers.WaitContainerAsync(id, stop);
        var exceeded = false;
        while (!exited.IsCompleted)
        {
            if (Deadline(store.Get(FakeResourceKind.Pods, ns, name)) is { } deadline && DateTimeOffset.UtcNow >= deadline)
            {
                exceeded = true;
                await engine.Client.Containers.KillContainerAsync(id, new ContainerKillParameters { Signal = "KILL" }, stop);
                break;
            }

            await Task.WhenAny(exited, Task.Delay(200, stop));
            stop.ThrowIfCancellationRequested();
        }

        await exited;
        var ended = await engine.Client.Containers.InspectContainerAsync(id, stop);
        store.Update(FakeResourceKind.Pods, ns, name, p =>
        {
            FakePodStatuses.Terminated(p, (int)ended.State!.ExitCode, Timestamp(ended.State.StartedAt), Timestamp(ended.State.FinishedAt), "docker://" + id);
            if (exceeded)
            {
                FakePodStatuses.DeadlineExceeded(p);
            }
        });
    }

    private static DateTimeOffset? Deadline(JsonObject pod) =>
        long.TryParse(pod["spec"]?["activeDeadlineSeconds"]?.ToString(), CultureInfo.InvariantCulture, out var seconds)
        && DateTimeOffset.TryParse(pod["status"]?["startTime"]?.GetValue<string>(), CultureInfo.InvariantCulture, out var started)
            ? started.AddSeconds(seconds)
            : null;

    private void TryUpdate(string ns, string name, Action<JsonObject> change)
    {
        try
        {
            store.Update(FakeResourceKind.Pods, ns, name, change);
        }
        catch (FakeApiException error) when (error.Code == 404)
        {
            // Deleted meanwhile.
        }
    }

    private static string Timestamp(string dockerTime) =>
        DateTimeOffset.Parse(dockerTime, CultureInfo.InvariantCulture).UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture);
}
