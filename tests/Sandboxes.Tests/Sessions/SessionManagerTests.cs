using System.Text.Json;
using RemoltBlazor.Data.Entities;
using RemoltBlazor.Sandboxes.Runtime;
using RemoltBlazor.Sandboxes.Sessions;
using RemoltBlazor.TestSupport;

namespace RemoltBlazor.Sandboxes.Tests.Sessions;

public sealed class SessionManagerTests
{
    private static readonly TimeSpan s_timeout = SessionManagerHarness.Timeout;

    [Fact]
    public async Task CreateAsync_DefaultAgent_ReturnsRunningSessionAndEmitsCreated()
    {
        await using var h = await SessionManagerHarness.CreateAsync();

        var session = await h.Manager.CreateAsync("alice", new CreateSessionRequest(), CancellationToken.None).WaitAsync(s_timeout);

        session.State.ShouldBe(SessionState.Running);
        session.AgentId.ShouldBe("claude-code");
        session.Owner.ShouldBe("alice");
        session.HasRepo.ShouldBeFalse();
        session.SandboxId.ShouldBe("fake-" + session.Id);
        h.Manager.LiveCount.ShouldBe(1);
        h.Manager.Get(session.Id, "alice").ShouldBeSameAs(session);

        var spec = h.Runtime.Creates.ShouldHaveSingleItem();
        spec.SessionId.ShouldBe(session.Id);
        spec.Owner.ShouldBe("alice");
        spec.AgentId.ShouldBe("claude-code");
        spec.Image.ShouldBe("remolt-claude-code"); // nothing configured: the agent's own image
        spec.InstanceId.ShouldNotBeNullOrEmpty();
        spec.InstanceId.ShouldBe(h.Instance.Id);
        spec.Env["TERM"].ShouldBe("xterm-256color");
        spec.Env["AGENT_WELCOME"].ShouldStartWith("Run `claude`");
        spec.Env.ShouldNotContainKey("AGENT_SETUP"); // claude-code's setup is empty

        var created = (await h.EventFieldsAsync("session.created", session.Id)).ShouldHaveSingleItem();
        FieldNames(created).ShouldBe(["agent_type", "has_repo", "session_id", "user"], ignoreOrder: true);
        created.GetProperty("session_id").GetString().ShouldBe(session.Id);
        created.GetProperty("has_repo").GetBoolean().ShouldBeFalse();
        created.GetProperty("user").GetString().ShouldBe("alice");
        created.GetProperty("agent_type").GetString().ShouldBe("claude-code");

        // The JSON line has the original's envelope: {"ts": <epoch seconds>, "event": name, ...fields}.
        var line = (await File.ReadAllLinesAsync(h.EventsFile)).Select(l => JsonDocument.Parse(l).RootElement)
            .Single(e => e.GetProperty("event").GetString() == "session.created");
        line.GetProperty("ts").GetDouble().ShouldBe(h.Time.GetUtcNow().ToUnixTimeSeconds(), 1);
        line.GetProperty("session_id").GetString().ShouldBe(session.Id);

        var row = await h.Store.FindAsync(session.Id, CancellationToken.None).WaitAsync(s_timeout);
        row.ShouldNotBeNull();
        row.State.ShouldBe(SessionState.Running);
        row.SandboxId.ShouldBe(session.SandboxId);
        row.Owner.ShouldBe("alice");
    }

    [Fact]
    public async Task CreateAsync_RepoUrlAndGitIdentity_GoToPlainEnvInOriginalOrder()
    {
        await using var h = await SessionManagerHarness.CreateAsync();

        var session = await h.Manager.CreateAsync(
            "alice",
            new CreateSessionRequest(SessionManagerHarness.TesterAgent, " Ada ", "ada@example.com", "https://github.com/a/b.git"),
            CancellationToken.None).WaitAsync(s_timeout);

        session.HasRepo.ShouldBeTrue();
        var env = h.Runtime.Creates.ShouldHaveSingleItem().Env;
        env.Keys.ShouldBe(["TERM", "REPO_URL", "GIT_USER_NAME", "GIT_USER_EMAIL", "TESTER_MODE", "AGENT_SETUP", "AGENT_WELCOME"]);
        env["GIT_USER_NAME"].ShouldBe("Ada");
        env["REPO_URL"].ShouldBe("https://github.com/a/b.git");
        (await h.EventFieldsAsync("session.created", session.Id)).ShouldHaveSingleItem().GetProperty("has_repo").GetBoolean().ShouldBeTrue();
    }

    [Fact]
    public async Task CreateAsync_UnknownAgent_ThrowsRequestExceptionAndCreatesNothing()
    {
        await using var h = await SessionManagerHarness.CreateAsync();

        var ex = await Should.ThrowAsync<SessionRequestException>(
            h.Manager.CreateAsync("alice", new CreateSessionRequest("x"), CancellationToken.None).WaitAsync(s_timeout));

        ex.Message.ShouldBe("Unknown agent type: x");
        h.Runtime.CreateCalls.ShouldBe(0);
        h.Manager.LiveCount.ShouldBe(0);
    }

    [Fact]
    public async Task CreateAsync_TwentyConcurrentWithLimitTen_ExactlyTenSucceed()
    {
        await using var h = await SessionManagerHarness.CreateAsync(new Dictionary<string, string?>
        {
            ["REMOLT_MAX_SESSIONS"] = "10",
            ["REMOLT_MAX_USER_SESSIONS"] = "100",
        });
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        h.Runtime.CreateGate = gate;
        using var start = new ManualResetEventSlim();

        var creates = Enumerable.Range(0, 20).Select(i => Task.Run(async () =>
        {
            start.Wait(s_timeout);
            return await h.Manager.CreateAsync($"user{i % 3}", new CreateSessionRequest(), CancellationToken.None);
        })).ToArray();
        start.Set();

        // Every create is either refused or held open inside the runtime before any of them completes.
        await Poll.UntilAsync(() => h.Runtime.CreateCalls == 10 && creates.Count(t => t.IsCompleted) == 10, s_timeout);
        var refused = creates.Where(t => t.IsCompleted).ToArray();
        foreach (var task in refused)
        {
            (await Should.ThrowAsync<SessionLimitException>(task)).Message.ShouldBe("Max sessions reached");
        }

        h.Manager.LiveCount.ShouldBe(10);
        gate.SetResult();
        var sessions = await Task.WhenAll(creates.Except(refused)).WaitAsync(s_timeout);

        sessions.Length.ShouldBe(10);
        sessions.Select(s => s.Id).Distinct().Count().ShouldBe(10);
        sessions.ShouldAllBe(s => s.State == SessionState.Running);
        h.Runtime.Creates.Count.ShouldBe(10);
        h.Runtime.Live.Count.ShouldBe(10);
        h.Manager.LiveCount.ShouldBe(10);
        await Should.ThrowAsync<SessionLimitException>(
            h.Manager.CreateAsync("someone", new CreateSessionRequest(), CancellationToken.None).WaitAsync(s_timeout));
        h.Runtime.Creates.Count.ShouldBe(10);
    }

    [Fact]
    public async Task CreateAsync_PerUserLimit_ThirdRefusedAndUsersIndependent()
    {
        await using var h = await SessionManagerHarness.CreateAsync(new Dictionary<string, string?>
        {
            ["REMOLT_MAX_SESSIONS"] = "10",
            ["REMOLT_MAX_USER_SESSIONS"] = "2",
        });

        var first = await h.Manager.CreateAsync("alice", new CreateSessionRequest(), CancellationToken.None).WaitAsync(s_timeout);
        await h.Manager.CreateAsync("alice", new CreateSessionRequest(), CancellationToken.None).WaitAsync(s_timeout);
        var ex = await Should.ThrowAsync<SessionLimitException>(
            h.Manager.CreateAsync("alice", new CreateSessionRequest(), CancellationToken.None).WaitAsync(s_timeout));
        ex.Message.ShouldBe("Max 2 sessions per user");

        await h.Manager.CreateAsync("bob", new CreateSessionRequest(), CancellationToken.None).WaitAsync(s_timeout);
        await h.Manager.CreateAsync("bob", new CreateSessionRequest(), CancellationToken.None).WaitAsync(s_timeout);
        h.Manager.LiveCount.ShouldBe(4);

        // Ending one of alice's sessions gives her the slot back.
        await h.Manager.EndAsync(first.Id, "alice", CancellationToken.None).WaitAsync(s_timeout);
        await h.Manager.CreateAsync("alice", new CreateSessionRequest(), CancellationToken.None).WaitAsync(s_timeout);
        h.Manager.ListRunning("alice").Count.ShouldBe(2);
        h.Manager.ListRunning("bob").Count.ShouldBe(2);
    }

    [Fact]
    public async Task CreateAsync_RuntimeCreateFails_ThrowsTryAgainAndFreesSlot()
    {
        await using var h = await SessionManagerHarness.CreateAsync(new Dictionary<string, string?> { ["REMOLT_MAX_SESSIONS"] = "1" });
        h.Runtime.CreateFailure = new SandboxRuntimeException("engine said no");

        var ex = await Should.ThrowAsync<SessionCreateException>(
            h.Manager.CreateAsync("alice", new CreateSessionRequest(), CancellationToken.None).WaitAsync(s_timeout));

        ex.Message.ShouldContain("try again", Case.Insensitive);
        ex.Message.ShouldContain("engine said no");
        h.Manager.LiveCount.ShouldBe(0);
        var sessionId = h.Runtime.Creates.ShouldHaveSingleItem().SessionId;
        var row = await h.Store.FindAsync(sessionId, CancellationToken.None).WaitAsync(s_timeout);
        row.ShouldNotBeNull();
        row.State.ShouldBe(SessionState.Ended);
        row.EndReason.ShouldBe("create_failed");
        row.EndedAt.ShouldNotBeNull();
        (await h.EventFieldsAsync("session.created", sessionId)).ShouldBeEmpty();

        // The slot (the only one) is free again.
        h.Runtime.CreateFailure = null;
        var session = await h.Manager.CreateAsync("alice", new CreateSessionRequest(), CancellationToken.None).WaitAsync(s_timeout);
        session.State.ShouldBe(SessionState.Running);
    }

    [Fact]
    public async Task CreateAsync_RuntimeUnavailable_ThrowsRuntimeUnavailableAndFreesSlot()
    {
        await using var h = await SessionManagerHarness.CreateAsync();
        h.Runtime.CreateFailure = new SandboxRuntimeUnavailableException("Docker engine not reachable at /nowhere");

        var ex = await Should.ThrowAsync<SessionRuntimeUnavailableException>(
            h.Manager.CreateAsync("alice", new CreateSessionRequest(), CancellationToken.None).WaitAsync(s_timeout));

        ex.Message.ShouldContain("Docker engine not reachable");
        h.Manager.LiveCount.ShouldBe(0);
    }

    [Fact]
    public async Task Get_SomeoneElsesSession_ThrowsNotFoundLikeAnUnknownId()
    {
        await using var h = await SessionManagerHarness.CreateAsync();
        var session = await h.Manager.CreateAsync("alice", new CreateSessionRequest(), CancellationToken.None).WaitAsync(s_timeout);

        Should.Throw<SessionNotFoundException>(() => h.Manager.Get(session.Id, "mallory")).Message.ShouldBe("Session not found");
        h.Manager.ListRunning("mallory").ShouldBeEmpty();
        await Should.ThrowAsync<SessionNotFoundException>(() => h.Manager.EndAsync(session.Id, "mallory", CancellationToken.None).WaitAsync(s_timeout));
        h.Runtime.Removes.ShouldBeEmpty();
    }

    [Fact]
    public async Task Get_UnknownId_ThrowsNotFound()
    {
        await using var h = await SessionManagerHarness.CreateAsync();

        Should.Throw<SessionNotFoundException>(() => h.Manager.Get(SessionIds.New(), "alice")).Message.ShouldBe("Session not found");
    }

    [Fact]
    public async Task EndAsync_RunningSession_RemovesSandboxEmitsEndedAndForgetsIt()
    {
        await using var h = await SessionManagerHarness.CreateAsync();
        var session = await h.Manager.CreateAsync("alice", new CreateSessionRequest(), CancellationToken.None).WaitAsync(s_timeout);
        h.Time.Advance(TimeSpan.FromSeconds(90.4));

        var ended = await h.Manager.EndAsync(session, "user", CancellationToken.None).WaitAsync(s_timeout);

        ended.ShouldBeTrue();
        h.Runtime.Removes.ShouldBe([session.SandboxId!]);
        h.Runtime.Live.ShouldBeEmpty();
        h.Manager.LiveCount.ShouldBe(0);
        session.State.ShouldBe(SessionState.Ended);
        Should.Throw<SessionNotFoundException>(() => h.Manager.Get(session.Id, "alice"));
        h.Manager.ListRunning("alice").ShouldBeEmpty();

        var fields = (await h.EventFieldsAsync("session.ended", session.Id)).ShouldHaveSingleItem();
        FieldNames(fields).ShouldBe(["duration_s", "reason", "session_id"], ignoreOrder: true);
        fields.GetProperty("session_id").GetString().ShouldBe(session.Id);
        fields.GetProperty("reason").GetString().ShouldBe("user");
        fields.GetProperty("duration_s").ValueKind.ShouldBe(JsonValueKind.Number);
        fields.GetProperty("duration_s").GetRawText().ShouldBe("90");

        var row = await h.Store.FindAsync(session.Id, CancellationToken.None).WaitAsync(s_timeout);
        row.ShouldNotBeNull();
        row.State.ShouldBe(SessionState.Ended);
        row.EndReason.ShouldBe("user");
        row.EndedAt.ShouldBe(h.Time.GetUtcNow());

        // A second end is a no-op: no second removal, no second event.
        (await h.Manager.EndAsync(session, "idle", CancellationToken.None).WaitAsync(s_timeout)).ShouldBeFalse();
        h.Runtime.Removes.Count.ShouldBe(1);
        (await h.EventFieldsAsync("session.ended", session.Id)).Count.ShouldBe(1);
    }

    [Fact]
    public async Task EndAsync_ByIdAndCaller_EndsWithReasonUser()
    {
        await using var h = await SessionManagerHarness.CreateAsync();
        var session = await h.Manager.CreateAsync("alice", new CreateSessionRequest(), CancellationToken.None).WaitAsync(s_timeout);

        await h.Manager.EndAsync(session.Id, "alice", CancellationToken.None).WaitAsync(s_timeout);

        (await h.EventFieldsAsync("session.ended", session.Id)).ShouldHaveSingleItem().GetProperty("reason").GetString().ShouldBe("user");
        await Should.ThrowAsync<SessionNotFoundException>(() => h.Manager.EndAsync(session.Id, "alice", CancellationToken.None).WaitAsync(s_timeout));
    }

    [Fact]
    public async Task CountTerminalsAsync_TmuxListsThreeSessions_ReturnsThree()
    {
        await using var h = await SessionManagerHarness.CreateAsync();
        var session = await h.Manager.CreateAsync("alice", new CreateSessionRequest(), CancellationToken.None).WaitAsync(s_timeout);
        h.Runtime.TmuxSessions = ["main", "main-1", "main-2"];

        var count = await h.Manager.CountTerminalsAsync(session, CancellationToken.None).WaitAsync(s_timeout);

        count.ShouldBe(3);
        var exec = h.Runtime.Execs.ShouldHaveSingleItem();
        exec.SandboxId.ShouldBe(session.SandboxId);
        exec.CommandLine.ShouldContain("tmux list-sessions");
    }

    [Fact]
    public async Task CountTerminalsAsync_NoTmuxSessions_ReturnsOne()
    {
        await using var h = await SessionManagerHarness.CreateAsync();
        var session = await h.Manager.CreateAsync("alice", new CreateSessionRequest(), CancellationToken.None).WaitAsync(s_timeout);
        h.Runtime.TmuxSessions = [];

        (await h.Manager.CountTerminalsAsync(session, CancellationToken.None).WaitAsync(s_timeout)).ShouldBe(1);
    }

    [Fact]
    public async Task CountTerminalsAsync_ExecFails_ReturnsOne()
    {
        await using var h = await SessionManagerHarness.CreateAsync();
        var session = await h.Manager.CreateAsync("alice", new CreateSessionRequest(), CancellationToken.None).WaitAsync(s_timeout);
        h.Runtime.TmuxSessions = null;

        (await h.Manager.CountTerminalsAsync(session, CancellationToken.None).WaitAsync(s_timeout)).ShouldBe(1);
    }

    [Fact]
    public void SessionIds_New_Is32LowercaseAlphanumericsAndUnique()
    {
        var ids = Enumerable.Range(0, 10_000).Select(_ => SessionIds.New()).ToList();

        ids.ShouldAllBe(id => id.Length == 32 && id.All(c => (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')));
        ids.Distinct(StringComparer.Ordinal).Count().ShouldBe(10_000);
        ids.ShouldAllBe(id => SessionIds.IsWellFormed(id));
    }

    [Theory]
    [InlineData("")]
    [InlineData("ABC")]
    [InlineData("../etc/passwd")]
    [InlineData("a b")]
    public void SessionIds_IsWellFormed_JunkId_ReturnsFalse(string id) => SessionIds.IsWellFormed(id).ShouldBeFalse();

    private static string[] FieldNames(JsonElement fields) => [.. fields.EnumerateObject().Select(p => p.Name)];
}
