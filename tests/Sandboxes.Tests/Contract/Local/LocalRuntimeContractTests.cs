namespace RemoltBlazor.Sandboxes.Tests.Contract.Local;

/// <summary>The local (bubblewrap) runtime passes the shared runtime contract.</summary>
public sealed class LocalRuntimeContractTests(LocalContractHost host) : SandboxRuntimeContractTests<LocalContractHost>(host);
