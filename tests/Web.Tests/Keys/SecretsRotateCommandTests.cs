using Microsoft.Extensions.DependencyInjection;
using RemoltBlazor.Data.Keys;
using RemoltBlazor.Data.Secrets;
using RemoltBlazor.TestSupport;
using RemoltBlazor.Web.Tests.Hosting;
using static RemoltBlazor.Web.Tests.Endpoints.SessionApiClient;
using static RemoltBlazor.Web.Tests.Keys.TokenClients;

namespace RemoltBlazor.Web.Tests.Keys;

/// <summary><c>RemoltBlazor.Web secrets rotate</c> as an operator runs it: the built app, on a stopped server's data folder.</summary>
public sealed class SecretsRotateCommandTests
{
    [Fact]
    public async Task SecretsRotate_ResealsStoredKeysUnderANewKey_RetiresTheOld_AndTheServerStillOpensThem()
    {
        var folder = TestDataFolder.Create("remolt-rotate-tests");
        try
        {
            string oldKey;
            await using (var app = new RemoltAppFactory(new Dictionary<string, string?> { ["REMOLT_DATA_DIR"] = folder }, new FakeSandboxRuntime()))
            {
                using var client = Client(app);
                (await KeyNamesAsync(await PutKeysAsync(client, """{"keys":{"OPENAI_API_KEY":"before-rotation"}}"""))).ShouldBe(["OPENAI_API_KEY"]);
                oldKey = app.Services.GetRequiredService<SecretKeyRing>().CurrentId;
            }

            var (exitCode, output) = await RunAppAsync(folder, "secrets", "rotate");

            exitCode.ShouldBe(0, output);
            output.ShouldContain("api keys: 1 re-sealed, 0 unreadable");
            output.ShouldContain($"retired {oldKey}");
            var ring = await File.ReadAllLinesAsync(Path.Combine(folder, SecretKeyRing.FileName));
            ring.ShouldHaveSingleItem().ShouldNotStartWith(oldKey + ":");

            await using var restarted = new RemoltAppFactory(new Dictionary<string, string?> { ["REMOLT_DATA_DIR"] = folder }, new FakeSandboxRuntime());
            (await restarted.Services.GetRequiredService<ApiKeyStore>().ReadAsync("anonymous", CancellationToken.None))["OPENAI_API_KEY"]
                .ShouldBe("before-rotation");
        }
        finally
        {
            TestDataFolder.Delete(folder);
        }
    }

    [Fact]
    public async Task Secrets_WithoutAKnownSubcommand_PrintsUsageAndFails()
    {
        var folder = TestDataFolder.Create("remolt-rotate-tests");
        try
        {
            var (exitCode, output) = await RunAppAsync(folder, "secrets", "shred");

            exitCode.ShouldBe(2);
            output.ShouldContain("usage: RemoltBlazor.Web secrets rotate");
        }
        finally
        {
            TestDataFolder.Delete(folder);
        }
    }

    private static Task<(int ExitCode, string Output)> RunAppAsync(string dataDirectory, params string[] args) =>
        AppProcess.RunToExitAsync(dataDirectory, settings: null, args);
}
