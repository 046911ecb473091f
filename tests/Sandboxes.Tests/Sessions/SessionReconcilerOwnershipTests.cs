using Microsoft.Data.Sqlite;
using RemoltBlazor.Data.Entities;
using RemoltBlazor.Sandboxes.Tests.Lifecycle;
using RemoltBlazor.TestSupport;

namespace RemoltBlazor.Sandboxes.Tests.Sessions;

/// <summary>
/// The reconciler adopts and removes only this instance's sandboxes: a copy of another server's database (a restored
/// backup) on the same engine takes nothing from it.
/// </summary>
public sealed class SessionReconcilerOwnershipTests
{
    [DockerFact]
    public async Task StartAsync_CopyOfAnotherInstancesDatabase_EndsItsSessionsLostAndLeavesTheirSandboxesRunning()
    {
        await using var first = await DockerSessionHost.StartAsync();
        var running = await first.CreateAsync();
        var vanished = await first.CreateAsync();
        await DockerCli.RunAsync($"rm -f {vanished.SandboxId}");
        var copy = TestDataFolder.Create("remolt-lifecycle-tests");
        try
        {
            CopyDatabase(first.DataDirectory, copy);

            await using var second = await DockerSessionHost.StartAsync(dataDirectory: copy);

            second.Sessions.Snapshot().ShouldBeEmpty("the sandboxes are the first instance's");
            foreach (var id in new[] { running.Id, vanished.Id })
            {
                var row = (await second.Store.FindAsync(id, CancellationToken.None)).ShouldNotBeNull();
                row.State.ShouldBe(SessionState.Ended);
                row.EndReason.ShouldBe("lost");
            }

            (await DockerCli.RunAsync($"ps -q --filter name=^{running.SandboxId}$ --filter status=running")).ShouldNotBeEmpty("another instance's sandbox is left alone");
            first.Sessions.Snapshot().ShouldContain(s => s.Id == running.Id);
            running.IsRunning.ShouldBeTrue();
        }
        finally
        {
            await DockerCli.RemoveInstanceAsync(copy);
            TestDataFolder.Delete(copy);
        }
    }

    /// <summary>SQLite's backup API, as the backup command takes it (the copy is consistent while the first host runs).</summary>
    private static void CopyDatabase(string from, string to)
    {
        using var source = new SqliteConnection($"Data Source={Path.Combine(from, "remolt.db")};Pooling=False");
        using var destination = new SqliteConnection($"Data Source={Path.Combine(to, "remolt.db")};Pooling=False");
        source.Open();
        destination.Open();
        source.BackupDatabase(destination);
    }
}
