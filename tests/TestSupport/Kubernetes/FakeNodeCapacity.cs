namespace RemoltBlazor.TestSupport.Kubernetes;

/// <summary>The fake node's allocatable resources, as Kubernetes quantities (<c>"4"</c>, <c>"500m"</c>, <c>"8Gi"</c>).</summary>
public sealed record FakeNodeCapacity(string Cpu = "4", string Memory = "8Gi");
