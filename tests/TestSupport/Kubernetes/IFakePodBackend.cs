using System.Text.Json.Nodes;

namespace RemoltBlazor.TestSupport.Kubernetes;

/// <summary>The kubelet's (and scheduler's) part of the fake: runs admitted pods, execs into them, reads their logs, removes them.</summary>
internal interface IFakePodBackend : IAsyncDisposable
{
    /// <summary>Takes over a pod the API has just stored: schedules and starts it, updating its status through the store.</summary>
    void Start(string ns, string name);

    /// <summary>Deletes the pod (the API's DELETE) and returns the object the API answers with.</summary>
    JsonObject Delete(string ns, string name);

    /// <summary>Starts <paramref name="command"/> in the pod's container (already checked to exist and run).</summary>
    Task<IFakeExecProcess> ExecAsync(JsonObject pod, string container, IReadOnlyList<string> command, bool stdin, bool tty, CancellationToken cancellationToken);

    /// <summary>The container's log so far, then (with <paramref name="follow"/>) what it writes until it ends or the caller goes.</summary>
    Task WriteLogAsync(JsonObject pod, string container, bool follow, int? tailLines, Stream output, CancellationToken cancellationToken);
}
