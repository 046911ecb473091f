using Microsoft.Extensions.Logging.Abstractions;
using RemoltBlazor.Sandboxes.Runtime;
using RemoltBlazor.Web.Realtime.Circuit;

namespace RemoltBlazor.Web.Tests.Realtime.Circuit;

/// <summary>A circuit terminal opened read-only (an admin watching): it attaches through the watch path and types nothing.</summary>
public sealed class CircuitTerminalReadOnlyTests
{
    private static readonly TimeSpan s_timeout = TimeSpan.FromSeconds(10);

    [Fact]
    public async Task ReadOnly_AttachesAsAWatcher_DropsInput_StillShowsOutput()
    {
        var stream = new ScriptedTerminalStream();
        var attacher = new CircuitTerminalTests.FakeAttacher(_ => stream);
        await using var service = new CircuitTerminalService(attacher, NullLogger<CircuitTerminalService>.Instance);
        var terminal = service.Open("s1", "root", 1, readOnly: true);
        var attached = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var shown = new TaskCompletionSource<byte[]>(TaskCreationOptions.RunContinuationsAsynchronously);
        _ = terminal.RunAsync(90, 20, (chunk, _) => { shown.TrySetResult(chunk); return Task.CompletedTask; },
            () => { attached.SetResult(); return Task.CompletedTask; }, CancellationToken.None);
        await attached.Task.WaitAsync(s_timeout);

        await terminal.OnInput("rm -rf ~\r"u8.ToArray()).WaitAsync(s_timeout);
        stream.Emit("owner's output"u8.ToArray());

        terminal.ReadOnly.ShouldBeTrue();
        attacher.Calls.ShouldBe([("s1", "root", new TerminalAttachOptions(1, new TerminalSize(90, 20)) { ReadOnly = true })]);
        (await shown.Task.WaitAsync(s_timeout)).ShouldBe("owner's output"u8.ToArray());
        stream.Written.ShouldBeEmpty();
        await terminal.DisposeAsync().AsTask().WaitAsync(s_timeout);
    }

    [Fact]
    public async Task NotReadOnly_ByDefault_AttachesAsTheOwner()
    {
        var stream = new ScriptedTerminalStream();
        stream.End();
        var attacher = new CircuitTerminalTests.FakeAttacher(_ => stream);
        await using var service = new CircuitTerminalService(attacher, NullLogger<CircuitTerminalService>.Instance);

        await service.Open("s1", "alice", 0).RunAsync(80, 24, (_, _) => Task.CompletedTask, () => Task.CompletedTask, CancellationToken.None).WaitAsync(s_timeout);

        attacher.Calls.Single().Options.ReadOnly.ShouldBeFalse();
    }
}
