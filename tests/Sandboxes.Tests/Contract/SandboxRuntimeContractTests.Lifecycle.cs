using RemoltBlazor.Sandboxes.Runtime;

namespace RemoltBlazor.Sandboxes.Tests.Contract;

/// <summary>Create, list, stop and remove: what the session manager, the reconciler and the warm pool rely on.</summary>
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
        (await ShAsync(handle.SandboxId, "printenv FOO")).ShouldBe("bar\n");
        await RemoveAsync(handle.SandboxId);
    }

    [RuntimeContractFact]
    public async Task CreateAsync_SessionIdsOfEveryAllowedShape_AreListedWithTheRawValues()
    {
        // Session ids may start with '-' or '_' and be up to 64 characters long (SessionIds.IsWellFormed); owners are
        // logins with upper case and punctuation. None of them may leak into a name or label unescaped.
        var suffix = Guid.NewGuid().ToString("N")[..8];
        var sandboxes = new (string SessionId, string Owner)[]
        {
            ($"-lead-{suffix}", "Alice.Smith@Example.COM"),
            ($"_lead_{suffix}", "BOB"),
            ($"c{suffix}{new string('x', 51)}", "carol_O'Neil"),
            ($"{suffix}-{new string('y', 55)}", "Dave"),
        };
        sandboxes.ShouldAllBe(s => Sandboxes.Sessions.SessionIds.IsWellFormed(s.SessionId));
        sandboxes[2].SessionId.Length.ShouldBe(60);
        sandboxes[3].SessionId.Length.ShouldBe(64);

        var handles = await Task.WhenAll(sandboxes.Select(s => CreateAsync(Spec(s.SessionId, s.Owner, "codex"))));

        var listed = await Runtime.ListManagedAsync(CancellationToken.None).WaitAsync(Timeout);
        for (var i = 0; i < sandboxes.Length; i++)
        {
            listed.ShouldContain(new SandboxInfo(handles[i].SandboxId, sandboxes[i].SessionId, sandboxes[i].Owner, "codex", Running: true) { InstanceId = Host.InstanceId });
            (await ShAsync(handles[i].SandboxId, "echo ok")).ShouldBe("ok\n");
            await RemoveAsync(handles[i].SandboxId);
            (await Host.ExistsAsync(sandboxes[i].SessionId)).ShouldBeFalse();
        }
    }

    [RuntimeContractFact]
    public async Task CreateAsync_SameSessionTwice_FailsClearlyAndLeavesTheFirstAlone()
    {
        var sessionId = NewSessionId();
        var first = await CreateAsync(Spec(sessionId));

        var ex = await Should.ThrowAsync<SandboxRuntimeException>(CreateAsync(Spec(sessionId)));

        ex.Message.ShouldContain("already exists");
        var listed = (await Runtime.ListManagedAsync(CancellationToken.None).WaitAsync(Timeout)).Where(s => s.SessionId == sessionId).ToList();
        listed.ShouldBe([new SandboxInfo(first.SandboxId, sessionId, "bob", "shell", Running: true) { InstanceId = Host.InstanceId }]);
        (await ShAsync(first.SandboxId, "echo still-here")).ShouldBe("still-here\n");

        await RemoveAsync(first.SandboxId);
        (await Host.ExistsAsync(sessionId)).ShouldBeFalse();
    }

    [RuntimeContractFact]
    public async Task RemoveAsync_RemovesEverythingAndIsIdempotent()
    {
        var sessionId = NewSessionId();
        var handle = await CreateAsync(Spec(sessionId));
        (await Host.ExistsAsync(sessionId)).ShouldBeTrue();

        await RemoveAsync(handle.SandboxId);

        (await Host.ExistsAsync(sessionId)).ShouldBeFalse();
        (await ListedAsync(sessionId)).ShouldBeNull();

        // Removing again, or removing what was never there, is not an error.
        await RemoveAsync(handle.SandboxId);
        await RemoveAsync($"remolt-c-missing-{Guid.NewGuid():N}"[..30]);
    }

    [RuntimeContractFact]
    public async Task CreateAsync_MissingImage_FailsNamingTheImageAndLeavesNothing()
    {
        if (!Host.HasImages)
        {
            return; // The local runtime runs the host's tools: no image to miss.
        }

        var sessionId = NewSessionId();
        var image = $"remolt-missing-{Guid.NewGuid():N}";

        var ex = await Should.ThrowAsync<SandboxRuntimeException>(CreateAsync(Spec(sessionId, image: image)));

        ex.Message.ShouldContain(image);
        (await Host.ExistsAsync(sessionId)).ShouldBeFalse();
        (await ListedAsync(sessionId)).ShouldBeNull();
    }

    [RuntimeContractFact]
    public async Task CreateAsync_Cancelled_LeavesNothing()
    {
        // Cancelled at several points of the create (before it starts, while the sandbox is being made, while it
        // starts): it either finishes or throws, and a create that threw leaves nothing behind.
        var cancelled = 0;
        foreach (var delay in new[] { 0, 50, 200, 600, 1500 })
        {
            var sessionId = NewSessionId();
            using var cancel = new CancellationTokenSource(TimeSpan.FromMilliseconds(delay));
            SandboxHandle? handle = null;
            try
            {
                handle = await Runtime.CreateAsync(Spec(sessionId), cancel.Token).WaitAsync(Timeout);
            }
            catch (OperationCanceledException)
            {
                cancelled++;
            }

            if (handle is not null)
            {
                await RemoveAsync(handle.SandboxId);
            }

            (await Host.ExistsAsync(sessionId)).ShouldBeFalse($"cancelled after {delay} ms");
            (await ListedAsync(sessionId)).ShouldBeNull($"cancelled after {delay} ms");
        }

        // Not only the create cancelled before it began: at least one was cancelled on its way.
        cancelled.ShouldBeGreaterThanOrEqualTo(2);
    }

    [RuntimeContractFact]
    public async Task StoppedSandbox_IsListedNotRunning_RefusesAttachAndHasNoStats()
    {
        var sessionId = NewSessionId();
        var handle = await CreateAsync(Spec(sessionId));

        await Host.StopSandboxAsync(handle.SandboxId);

        (await ListedAsync(sessionId)).ShouldBe(new SandboxInfo(handle.SandboxId, sessionId, "bob", "shell", Running: false) { InstanceId = Host.InstanceId });
        var ex = await Should.ThrowAsync<SandboxRuntimeException>(
            Runtime.AttachTerminalAsync(handle.SandboxId, new TerminalAttachOptions(), CancellationToken.None).WaitAsync(Timeout));
        ex.ShouldNotBeOfType<SandboxNotFoundException>();
        ex.Message.ShouldContain("is not running");
        (await Runtime.GetStatsAsync(handle.SandboxId, CancellationToken.None).WaitAsync(Timeout)).ShouldBeNull();
        // Every other way in says so too, as a runtime error the session layer maps to "not running" (not "unknown").
        (await Should.ThrowAsync<SandboxRuntimeException>(ExecAsync(handle.SandboxId, ["true"]))).ShouldNotBeOfType<SandboxNotFoundException>();
        (await Should.ThrowAsync<SandboxRuntimeException>(Runtime.StartProcessAsync(handle.SandboxId, ["true"], CancellationToken.None).WaitAsync(Timeout)))
            .ShouldNotBeOfType<SandboxNotFoundException>();
        (await Should.ThrowAsync<SandboxRuntimeException>(Runtime.ConnectAsync(handle.SandboxId, 17001, CancellationToken.None).WaitAsync(Timeout)))
            .ShouldNotBeOfType<SandboxNotFoundException>();

        await RemoveAsync(handle.SandboxId);
        (await Host.ExistsAsync(sessionId)).ShouldBeFalse();
    }

    [RuntimeContractFact]
    public async Task RemoveAsync_WhileATerminalIsAttached_EndsIt()
    {
        var sessionId = NewSessionId();
        var handle = await CreateAsync(Spec(sessionId));
        var terminal = await Runtime.AttachTerminalAsync(handle.SandboxId, new TerminalAttachOptions(), CancellationToken.None).WaitAsync(Timeout);
        await using var reader = new TerminalReader(terminal, timeout: Timeout);
        await reader.SendAsync("echo before-$((5*5))-removal\r");
        await reader.WaitForAsync("before-25-removal");

        await RemoveAsync(handle.SandboxId);

        // The terminal's output ends (the UI shows the session is gone) instead of hanging on a dead sandbox.
        await reader.Ended.WaitAsync(Timeout);
        (await Host.ExistsAsync(sessionId)).ShouldBeFalse();
    }

    [RuntimeContractFact]
    public async Task StartProcessAsync_UnknownSandbox_ThrowsSandboxNotFound()
    {
        await Should.ThrowAsync<SandboxNotFoundException>(
            Runtime.StartProcessAsync($"remolt-t-missing-{Guid.NewGuid():N}", ["true"], CancellationToken.None).WaitAsync(Timeout));
    }

    [RuntimeContractFact]
    public async Task AttachTerminalAsync_UnknownSandbox_ThrowsSandboxNotFound()
    {
        await Should.ThrowAsync<SandboxNotFoundException>(
            Runtime.AttachTerminalAsync($"remolt-t-missing-{Guid.NewGuid():N}", new TerminalAttachOptions(), CancellationToken.None).WaitAsync(Timeout));
    }

    [RuntimeContractFact]
    public async Task ProbeAsync_RuntimeUp_IsAvailableWithADetail()
    {
        var probe = await Runtime.ProbeAsync(CancellationToken.None).WaitAsync(Timeout);

        probe.Available.ShouldBeTrue(probe.Detail);
        probe.Detail.ShouldNotBeNullOrWhiteSpace();
        Runtime.Name.ShouldMatch("^[a-z0-9]+$");
    }

    private Task RemoveAsync(string sandboxId) => Runtime.RemoveAsync(sandboxId, CancellationToken.None).WaitAsync(Timeout);
}
