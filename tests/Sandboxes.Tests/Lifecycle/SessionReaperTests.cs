using System.Text;
using RemoltBlazor.Sandboxes.Runtime;
using RemoltBlazor.Sandboxes.Sessions;
using RemoltBlazor.TestSupport;

namespace RemoltBlazor.Sandboxes.Tests.Lifecycle;

/// <summary>The idle reaper on real sandboxes with a fake clock: idle means nothing happened, browser or not.</summary>
public sealed class SessionReaperTests
{
    private static readonly Dictionary<string, string?> s_settings = new()
    {
        ["REMOLT_MAX_IDLE_SECONDS"] = "600",
        ["REMOLT_CLEANUP_INTERVAL"] = "60",
        ["REMOLT_IDLE_WARNING_SECONDS"] = "120",
    };

    [DockerFact]
    public Task SweepAsync_IdleBusyAndWatchedSessions_ReapsOnlyWhatIsReallyIdle() =>
        IdleBusyAndWatchedAsync(s_settings, async (_, idle) =>
            (await DockerCli.RunAsync($"ps -aq --filter label=remolt.session-id={idle.Id}")).ShouldBeEmpty());

    /// <summary>The same on local (bubblewrap) sandboxes: the probe sees their tmux and their cgroup's CPU from inside.</summary>
    [LocalFact]
    public Task SweepAsync_LocalSandboxes_ReapsOnlyWhatIsReallyIdle() =>
        IdleBusyAndWatchedAsync(new Dictionary<string, string?>(s_settings) { ["REMOLT_RUNTIME"] = "local" }, (host, idle) =>
        {
            Directory.Exists(Path.Combine(host.DataDirectory, "sandboxes", RemoltBlazor.Sandboxes.Local.LocalSandboxFolder.IdFor(idle.Id))).ShouldBeFalse();
            return Task.CompletedTask;
        });

    private static async Task IdleBusyAndWatchedAsync(Dictionary<string, string?> settings, Func<DockerSessionHost, Session, Task> assertGone)
    {
        await using var host = await DockerSessionHost.StartAsync(settings);
        var idle = await host.CreateAsync();
        var busy = await host.CreateAsync();
        var watched = await host.CreateAsync();

        // The busy one runs a program that prints and computes in tmux, with no browser attached.
        var start = await host.Runtime.ExecAsync(busy.SandboxId!,
            ["bash", "-lc", "tmux new-session -d -s main 'while true; do head -c 2000000 /dev/urandom | sha256sum; sleep 0.2; done'"],
            ReadOnlyMemory<byte>.Empty, CancellationToken.None).WaitAsync(DockerSessionHost.Timeout);
        start.ExitCode.ShouldBe(0, Encoding.UTF8.GetString(start.Stderr));

        // The watched one has a browser attached, where nothing happens.
        await using var terminal = await host.Terminals.AttachAsync(watched.Id, "anonymous", new TerminalAttachOptions(), CancellationToken.None)
            .WaitAsync(DockerSessionHost.Timeout);
        using var notices = host.Sessions.Notices.Subscribe(watched.Id);
        await DrainAsync(terminal);

        SessionEndingSoon? warning = null;
        for (var minute = 1; minute <= 10 && warning is null; minute++)
        {
            await AdvanceAndSweepAsync(host);
            while (notices.Reader.TryRead(out var notice))
            {
                warning ??= notice as SessionEndingSoon;
            }
        }

        warning.ShouldNotBeNull("a watched idle session is warned before it is reaped");
        warning.Reason.ShouldBe("idle");
        host.Sessions.Snapshot().Select(s => s.Id).ShouldContain(watched.Id);

        for (var minute = 0; minute < 3; minute++)
        {
            await AdvanceAndSweepAsync(host);
        }

        var live = host.Sessions.Snapshot().Select(s => s.Id).ToList();
        live.ShouldNotContain(idle.Id);
        live.ShouldNotContain(watched.Id);
        live.ShouldContain(busy.Id);
        var ended = await host.Events.RecentAsync(50, idle.Id);
        ended.ShouldContain(e => e.Name == "session.ended" && e.Fields.Contains("\"reason\":\"idle\""));
        (await host.Runtime.ListManagedAsync(CancellationToken.None)).ShouldNotContain(s => s.SessionId == idle.Id);
        await assertGone(host, idle);
    }

    [DockerFact]
    public async Task KeepAlive_AfterWarning_PostponesTheReap()
    {
        await using var host = await DockerSessionHost.StartAsync(s_settings);
        var session = await host.CreateAsync();
        using var notices = host.Sessions.Notices.Subscribe(session.Id);
        for (var minute = 0; minute < 9; minute++)
        {
            await AdvanceAndSweepAsync(host);
        }

        ReadAll(notices).OfType<SessionEndingSoon>().ShouldNotBeEmpty();

        host.Sessions.KeepAlive(session.Id, "anonymous");
        for (var minute = 0; minute < 5; minute++)
        {
            await AdvanceAndSweepAsync(host);
        }

        host.Sessions.Snapshot().ShouldContain(session);
        ReadAll(notices).OfType<SessionKeptAlive>().ShouldNotBeEmpty();
    }

    [DockerFact]
    public async Task SweepAsync_SandboxRemovedBehindTheAppsBack_EndsSessionAsSandboxExited()
    {
        await using var host = await DockerSessionHost.StartAsync(s_settings);
        var session = await host.CreateAsync();
        using var notices = host.Sessions.Notices.Subscribe(session.Id);

        await DockerCli.RunAsync($"rm -f {session.SandboxId}");
        await AdvanceAndSweepAsync(host);

        host.Sessions.Snapshot().ShouldNotContain(session);
        ReadAll(notices).OfType<SessionEndedNotice>().Single().Reason.ShouldBe("sandbox_exited");
        (await host.Store.FindAsync(session.Id, CancellationToken.None))!.EndReason.ShouldBe("sandbox_exited");
        (await DockerCli.RunAsync($"network ls -q --filter label=remolt.session-id={session.Id}")).ShouldBeEmpty();
    }

    [DockerFact]
    public async Task SweepAsync_PastLifetime_EndsSessionAsLifetimeEvenWhenBusy()
    {
        await using var host = await DockerSessionHost.StartAsync(new Dictionary<string, string?>(s_settings) { ["REMOLT_MAX_SESSION_LIFETIME"] = "300" });
        var session = await host.CreateAsync();

        for (var minute = 0; minute < 6; minute++)
        {
            host.Sessions.Touch(session);
            await AdvanceAndSweepAsync(host);
        }

        (await host.Store.FindAsync(session.Id, CancellationToken.None))!.EndReason.ShouldBe("lifetime");
    }

    private static async Task AdvanceAndSweepAsync(DockerSessionHost host)
    {
        host.Time.Advance(TimeSpan.FromMinutes(1));
        await Task.Delay(300); // real time for the busy sandbox to burn CPU between two looks
        await host.SweepAsync();
    }

    private static List<SessionNotice> ReadAll(SessionNoticeSubscription notices)
    {
        var all = new List<SessionNotice>();
        while (notices.Reader.TryRead(out var notice))
        {
            all.Add(notice);
        }

        return all;
    }

    private static async Task DrainAsync(TerminalStream terminal)
    {
        // Read the attach's redraw until the shell's prompt is up and the terminal has been quiet for a second, so
        // later sweeps see a quiet sandbox (a loaded machine may take seconds to start the login shell).
        var buffer = new byte[65536];
        var seen = new System.Text.StringBuilder();
        using var bound = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        while (!bound.IsCancellationRequested)
        {
            using var quiet = CancellationTokenSource.CreateLinkedTokenSource(bound.Token);
            quiet.CancelAfter(TimeSpan.FromSeconds(1));
            try
            {
                var read = await terminal.ReadAsync(buffer, quiet.Token);
                if (read == 0)
                {
                    return;
                }

                seen.Append(Encoding.UTF8.GetString(buffer, 0, read));
            }
            catch (OperationCanceledException) when (!bound.IsCancellationRequested)
            {
                if (seen.ToString().Contains("$ ", StringComparison.Ordinal))
                {
                    return;
                }
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }
}
