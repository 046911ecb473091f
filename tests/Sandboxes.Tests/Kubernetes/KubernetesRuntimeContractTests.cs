using RemoltBlazor.Sandboxes.Tests.Contract;

namespace RemoltBlazor.Sandboxes.Tests.Kubernetes;

/// <summary>The Kubernetes runtime (on the fake API server with Docker-backed pods) passes the shared runtime contract.</summary>
public sealed class KubernetesRuntimeContractTests(KubernetesContractHost host) : SandboxRuntimeContractTests<KubernetesContractHost>(host);
