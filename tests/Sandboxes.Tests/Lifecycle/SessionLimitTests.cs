using RemoltBlazor.Sandboxes.Sessions;
using RemoltBlazor.TestSupport;

namespace RemoltBlazor.Sandboxes.Tests.Lifecycle;

/// <summary>Limits under real concurrency on real Docker: never overshoot, never leak.</summary>
public sealed class SessionLimitTests
{
    [DockerFact]
    public async Task CreateAsync_TwentyAtOnceAgainstLimitTen_ExactlyTenSucceedAndNothingLeaks()
    {
        await using var host = await DockerSessionHost.StartAsync(new Dictionary<string, string?>
        {
            ["REMOLT_MAX_SESSIONS"] = "10",
            ["REMOLT_MAX_USER_SESSIONS"] = "20",
        });

        var attempts = Enumerable.Range(0, 20).Select(_ => Task.Run(async () =>
        {
            try
            {
                return (Session?)await host.CreateAsync();
            }
            catch (SessionLimitException ex)
            {
                ex.Message.ShouldBe("Max sessions reached");
                return null;
            }
        })).ToList();
        var results = await Task.WhenAll(attempts).WaitAsync(TimeSpan.FromMinutes(3));

        var created = results.OfType<Session>().ToList();
        created.Count.ShouldBe(10);
        var instanceLabel = $"label=remolt.instance={await File.ReadAllTextAsync(Path.Combine(host.DataDirectory, "instance-id"))}";
        (await DockerCli.RunAsync($"ps -aq --filter {instanceLabel}")).Split('\n', StringSplitOptions.RemoveEmptyEntries).Length.ShouldBe(10);

        foreach (var session in created)
        {
            await host.Sessions.EndAsync(session, "user", CancellationToken.None).WaitAsync(DockerSessionHost.Timeout);
        }

        (await DockerCli.RunAsync($"ps -aq --filter {instanceLabel}")).ShouldBeEmpty();
        (await DockerCli.RunAsync($"network ls -q --filter {instanceLabel}")).ShouldBeEmpty();
        host.Sessions.LiveCount.ShouldBe(0);
    }
}
