using RemoltBlazor.Sandboxes.Runtime;

namespace RemoltBlazor.Sandboxes.Tests.Contract;

/// <summary>Create, list and remove: what the session manager, the reconciler and the warm pool rely on.</summary>
public abstract partial class SandboxRuntimeContractTests<THost>
{
    [RuntimeContractFact]
    public async Task CreateAsync_ThenListManaged_ShowsSessionOwnerAgentInstanceAndRunning()
    {
        var sessionId = NewSessionId();

        var handle = await CreateAsync(Spec(sessionId, "alice", "claude", new Dictionary<string, string> { ["FOO"] = "bar" }));

        handle.SandboxId.ShouldNotBeNullOrWhiteSpace();
        (await Runtime.ListManagedAsync(CancellationToken.None).WaitAsync(Timeout))
            .ShouldContain(new SandboxInfo(handle.SandboxId, sessionId, "alice", "claude", Running: true) { InstanceId = Host.InstanceId });
        await Runtime.RemoveAsync(handle.SandboxId, CancellationToken.None).WaitAsync(Timeout);
    }

    [RuntimeContractFact]
    public async Task RemoveAsync_RemovesEverythingAndIsIdempotent()
    {
        var sessionId = NewSessionId();
        var handle = await CreateAsync(Spec(sessionId));
        (await Host.ExistsAsync(sessionId)).ShouldBeTrue();

        await Runtime.RemoveAsync(handle.SandboxId, CancellationToken.None).WaitAsync(Timeout);

        (await Host.ExistsAsync(sessionId)).ShouldBeFalse();
        (await ListedAsync(sessionId)).ShouldBeNull();

        // Removing again, or removing what was never there, is not an error.
        await Runtime.RemoveAsync(handle.SandboxId, CancellationToken.None).WaitAsync(Timeout);
        await Runtime.RemoveAsync($"remolt-c-missing-{Guid.NewGuid():N}"[..30], CancellationToken.None).WaitAsync(Timeout);
    }
}
