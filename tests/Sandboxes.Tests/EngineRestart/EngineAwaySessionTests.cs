using RemoltBlazor.Data.Entities;
using RemoltBlazor.Sandboxes.Runtime;
using RemoltBlazor.Sandboxes.Sessions;
using RemoltBlazor.Sandboxes.Terminals;
using RemoltBlazor.Sandboxes.Tests.Sessions;
using Microsoft.Extensions.DependencyInjection;

namespace RemoltBlazor.Sandboxes.Tests.EngineRestart;

/// <summary>
/// The session layer while the sandbox engine does not answer (a dockerd restart): nothing ends, attaches fail at
/// once with a kind the web layer turns into "reconnecting", and a sandbox that died with the engine ends as
/// <c>sandbox_exited</c> once the engine answers again.
/// </summary>
public sealed class EngineAwaySessionTests
{
    private static readonly Dictionary<string, string?> s_settings = new()
    {
        ["REMOLT_MAX_IDLE_SECONDS"] = "600",
        ["REMOLT_CLEANUP_INTERVAL"] = "60",
        ["REMOLT_IDLE_WARNING_SECONDS"] = "120",
    };

    [Fact]
    public async Task SweepAsync_EngineAwayPastIdleDeadline_EndsNothingThenEndsDeadSandboxAsExited()
    {
        await using var h = await SessionManagerHarness.CreateAsync(s_settings);
        var reaper = h.Services.GetRequiredService<SessionReaper>();
        var session = await h.Manager.CreateAsync("alice", new CreateSessionRequest(), CancellationToken.None).WaitAsync(SessionManagerHarness.Timeout);
        h.Runtime.ListFailure = new SandboxRuntimeUnavailableException("Docker engine not reachable at /tmp/x/sock: Connection refused");

        // Well past the idle limit, with the engine away the whole time.
        for (var minute = 0; minute < 15; minute++)
        {
            h.Time.Advance(TimeSpan.FromMinutes(1));
            await reaper.SweepAsync(CancellationToken.None).WaitAsync(SessionManagerHarness.Timeout);
        }

        session.State.ShouldBe(SessionState.Running);
        h.Manager.Snapshot().ShouldContain(session);
        h.Runtime.Removes.ShouldBeEmpty();

        // The engine answers again, without the sandbox (it died with a dockerd that had no live-restore).
        h.Runtime.ListFailure = null;
        await h.Runtime.RemoveAsync(session.SandboxId!, CancellationToken.None);
        await reaper.SweepAsync(CancellationToken.None).WaitAsync(SessionManagerHarness.Timeout);

        h.Manager.Snapshot().ShouldNotContain(session);
        var ended = await h.EventFieldsAsync("session.ended", session.Id);
        ended.ShouldHaveSingleItem().GetProperty("reason").GetString().ShouldBe("sandbox_exited");
    }

    [Fact]
    public async Task AttachAsync_EngineAway_FailsAtOnceSayingSoWithoutTheRetryBudget()
    {
        await using var h = await SessionManagerHarness.CreateAsync(new Dictionary<string, string?> { ["REMOLT_ATTACH_RETRY_MS"] = "2000" });
        var session = await h.Manager.CreateAsync("alice", new CreateSessionRequest(), CancellationToken.None).WaitAsync(SessionManagerHarness.Timeout);
        h.Runtime.AttachFailure = new SandboxRuntimeUnavailableException("Docker engine not reachable at /tmp/x/sock: Connection refused");
        var attacher = h.Services.GetRequiredService<ITerminalAttacher>();

        // The fake clock never moves: a retry's delay would never end, and the wait below would time out.
        var ex = await Should.ThrowAsync<TerminalAttachException>(
            attacher.AttachAsync(session.Id, "alice", new TerminalAttachOptions(), CancellationToken.None).WaitAsync(SessionManagerHarness.Timeout));

        ex.EngineUnavailable.ShouldBeTrue();
        ex.Message.ShouldBe(TerminalAttachException.EngineAwayMessage);
        h.Runtime.AttachCalls.ShouldBe(1);
        session.State.ShouldBe(SessionState.Running);
    }

    [Fact]
    public async Task AttachAsync_SandboxNotRunning_StillUsesTheRetryBudget()
    {
        await using var h = await SessionManagerHarness.CreateAsync(new Dictionary<string, string?>
        {
            ["REMOLT_ATTACH_RETRY_MS"] = "1000",
            ["REMOLT_ATTACH_ATTEMPTS"] = "3",
        });
        var session = await h.Manager.CreateAsync("alice", new CreateSessionRequest(), CancellationToken.None).WaitAsync(SessionManagerHarness.Timeout);
        h.Runtime.AttachFailure = new SandboxRuntimeException("Sandbox x is not running");
        var attacher = h.Services.GetRequiredService<ITerminalAttacher>();

        var attach = attacher.AttachAsync(session.Id, "alice", new TerminalAttachOptions(), CancellationToken.None);
        await TestSupport.Poll.UntilAsync(() => h.Runtime.AttachCalls == 1, SessionManagerHarness.Timeout);
        attach.IsCompleted.ShouldBeFalse("a sandbox that is still booting gets the retries");
        for (var tick = 0; tick < 500 && !attach.IsCompleted; tick++)
        {
            h.Time.Advance(TimeSpan.FromSeconds(1));
            await Task.Delay(10);
        }

        var ex = await Should.ThrowAsync<TerminalAttachException>(attach);
        ex.EngineUnavailable.ShouldBeFalse();
        h.Runtime.AttachCalls.ShouldBe(3);
    }
}
