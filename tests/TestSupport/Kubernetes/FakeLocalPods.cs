using System.Collections.Concurrent;
using System.Text;
using System.Text.Json.Nodes;

namespace RemoltBlazor.TestSupport.Kubernetes;

/// <summary>
/// Pods without containers: <see cref="FakePodBackend.Local"/> schedules each one as it is created (Running, or
/// Unschedulable when it does not fit the node), <see cref="FakePodBackend.Manual"/> (no scheduler) leaves that to the test; execs run on this host; the log is what the test wrote.
/// </summary>
internal sealed class FakeLocalPods(FakeResourceStore store, FakeScheduler? scheduler) : IFakePodBackend
{
    private readonly ConcurrentDictionary<(string Namespace, string Name), StringBuilder> _logs = new();

    public void Start(string ns, string name)
    {
        if (scheduler?.TryBind(ns, name, () => store.Update(FakeResourceKind.Pods, ns, name, FakePodStatuses.Running)) is { } unschedulable)
        {
            store.Update(FakeResourceKind.Pods, ns, name, pod => FakePodStatuses.Unschedulable(pod, unschedulable));
        }
    }

    public JsonObject Delete(string ns, string name)
    {
        _logs.TryRemove((ns, name), out _);
        return store.Delete(FakeResourceKind.Pods, ns, name);
    }

    public Task<IFakeExecProcess> ExecAsync(JsonObject pod, string container, IReadOnlyList<string> command, bool stdin, bool tty, CancellationToken cancellationToken) =>
        Task.FromResult<IFakeExecProcess>(FakeLocalExecProcess.Start(command, tty));

    /// <summary>Appends to a pod's log (what <c>kubectl logs</c> shows for it).</summary>
    public void AppendLog(string ns, string name, string text)
    {
        var log = _logs.GetOrAdd((ns, name), _ => new StringBuilder());
        lock (log)
        {
            log.Append(text);
        }
    }

    public async Task WriteLogAsync(JsonObject pod, string container, bool follow, int? tailLines, Stream output, CancellationToken cancellationToken)
    {
        var (ns, name) = (pod["metadata"]!["namespace"]!.GetValue<string>(), pod["metadata"]!["name"]!.GetValue<string>());
        var log = _logs.GetOrAdd((ns, name), _ => new StringBuilder());
        var sent = 0;
        while (true)
        {
            string text;
            lock (log)
            {
                text = log.ToString(sent, log.Length - sent);
            }

            sent += text.Length;
            if (sent == text.Length && tailLines is { } tail)
            {
                // Only the first piece is cut: tailLines counts back from the end of the log as it was when asked.
                var lines = text.Split('\n');
                var keep = text.EndsWith('\n') ? tail + 1 : tail;
                text = string.Join('\n', lines.Skip(Math.Max(lines.Length - keep, 0)));
            }

            await output.WriteAsync(Encoding.UTF8.GetBytes(text), cancellationToken);
            await output.FlushAsync(cancellationToken);
            if (!follow || !store.Exists(FakeResourceKind.Pods, ns, name))
            {
                return;
            }

            await Task.Delay(100, cancellationToken);
        }
    }

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;
}
