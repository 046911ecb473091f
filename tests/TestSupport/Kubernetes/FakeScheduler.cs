
namespace RemoltBlazor.TestSupport.Kubernetes;

/// <summary>
/// The scheduler's resource fit on the fake's one node: a pod fits when its cpu and memory requests, added to those of
/// the pods already bound to the node and not finished, stay within <see cref="FakeNodeCapacity"/>.
/// </summary>
internal sealed class FakeScheduler(FakeResourceStore store, FakeNodeCapacity capacity)
{
    private readonly Lock _lock = new();

    /// <summary>Binds the pod (through <paramref name="bind"/>, under a lock so two pods cannot take the same room) or returns the scheduler's message.</summary>
    public string? TryBind(string ns, string name, Action bind)
    {
        lock (_lock)
        {
            var pod = store.Get(FakeResourceKind.Pods, ns, name);
            var (bound, _) = store.List(FakeResourceKind.Pods, null, LabelSelector.Parse(null), FieldSelector.Parse(null));
            var others = bound.Where(other => !string.IsNullOrEmpty(other["spec"]?["nodeName"]?.GetValue<string>())
                && other["status"]?["phase"]?.GetValue<string>() is not ("Succeeded" or "Failed")).ToList();
            var insufficient = new List<string>();
            foreach (var (resource, allocatable) in new[] { ("cpu", capacity.Cpu), ("memory", capacity.Memory) })
            {
                if (FakePodContainers.Request(pod, resource) + others.Sum(other => FakePodContainers.Request(other, resource)) > FakeQuantity.Parse(allocatable))
                {
                    insufficient.Add("1 Insufficient " + resource);
                }
            }

            if (insufficient.Count > 0)
            {
                return $"0/1 nodes are available: {string.Join(", ", insufficient)}. preemption: 0/1 nodes are available: 1 No preemption victims found for incoming pod.";
            }

            bind();
            return null;
        }
    }
}
