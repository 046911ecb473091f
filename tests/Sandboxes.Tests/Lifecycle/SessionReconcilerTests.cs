using RemoltBlazor.Data.Entities;
using RemoltBlazor.TestSupport;

namespace RemoltBlazor.Sandboxes.Tests.Lifecycle;

/// <summary>What a restart does with what it finds: recover, end as lost, clean up half-done work and orphans.</summary>
public sealed class SessionReconcilerTests
{
    [DockerFact]
    public async Task StartAsync_AfterGracefulStop_UserSandboxesKeepRunningAndAreRecovered()
    {
        var first = await DockerSessionHost.StartAsync();
        var data = first.DataDirectory;
        try
        {
            var session = await first.CreateAsync();
            await first.StopGracefullyAsync();
            (await DockerCli.RunAsync($"ps -q --filter name=^{session.SandboxId}$")).ShouldNotBeEmpty("stopping the server never stops user sandboxes");

            await using var second = await DockerSessionHost.StartAsync(dataDirectory: data);

            second.Sessions.Snapshot().ShouldHaveSingleItem().Id.ShouldBe(session.Id);
            (await second.Events.RecentAsync(20, session.Id)).ShouldContain(e => e.Name == "session.recovered");
        }
        finally
        {
            await first.AbandonAsync();
            await DockerCli.RemoveInstanceAsync(data);
        }
    }

    [DockerFact]
    public async Task StartAsync_SandboxVanishedAndOrphanLeft_EndsLostAndRemovesOrphan()
    {
        var first = await DockerSessionHost.StartAsync();
        var data = first.DataDirectory;
        try
        {
            var vanished = await first.CreateAsync();
            var orphaned = await first.CreateAsync();
            await first.AbandonAsync();

            // While the server is down: one sandbox is removed by hand, another loses its database row.
            await DockerCli.RunAsync($"rm -f {vanished.SandboxId}");
            await using (var db = DockerSessionHost.OpenDatabase(data))
            {
                db.Sessions.Remove(db.Sessions.Single(s => s.Id == orphaned.Id));
                await db.SaveChangesAsync();
            }

            await using var second = await DockerSessionHost.StartAsync(dataDirectory: data);

            second.Sessions.Snapshot().ShouldBeEmpty();
            var row = await second.Store.FindAsync(vanished.Id, CancellationToken.None);
            row.ShouldNotBeNull();
            row.State.ShouldBe(SessionState.Ended);
            row.EndReason.ShouldBe("lost");
            (await DockerCli.RunAsync($"ps -aq --filter name=^{orphaned.SandboxId}$")).ShouldBeEmpty("a sandbox no live session owns is removed");
            (await DockerCli.RunAsync($"network ls -q --filter label=remolt.session-id={orphaned.Id}")).ShouldBeEmpty();
            (await DockerCli.RunAsync($"network ls -q --filter label=remolt.session-id={vanished.Id}")).ShouldBeEmpty();
        }
        finally
        {
            await first.AbandonAsync();
            await DockerCli.RemoveInstanceAsync(data);
        }
    }
}
