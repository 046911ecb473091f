namespace RemoltBlazor.Sandboxes.Tests.Contract.Docker;

/// <summary>The Docker runtime passes the shared runtime contract.</summary>
public sealed class DockerRuntimeContractTests(DockerContractHost host) : SandboxRuntimeContractTests<DockerContractHost>(host);
