using System.Net.Http.Json;
using System.Text.Json;
using RemoltBlazor.TestSupport;
using RemoltBlazor.Web.Operations;
using RemoltBlazor.Web.Tests.Hosting;
using RemoltBlazor.Web.Tests.Realtime;

namespace RemoltBlazor.Web.Tests.Operations;

/// <summary>
/// A graceful stop (SIGTERM, as <c>docker stop</c> sends it) tells terminal sockets to reconnect (1012) and keeps
/// every session: the sandbox runs on, and the next server re-adopts it with its terminal's history.
/// </summary>
public sealed class ShutdownTests
{
    [DockerFact]
    public async Task SigTerm_AttachedTerminal_Closes1012KeepsTheSandboxAndARestartReadoptsIt()
    {
        await SandboxImage.EnsureBuiltAsync();
        var data = TestDataFolder.Create("remolt-shutdown-tests");
        var settings = new Dictionary<string, string> { ["REMOLT_SANDBOX_IMAGE"] = SandboxImage.Name };
        try
        {
            string id;
            await using (var first = await AppProcess.StartAsync(data, settings))
            {
                using var http = new HttpClient { BaseAddress = first.Address };
                var created = await (await http.PostAsJsonAsync("api/sessions", new { })).Content.ReadFromJsonAsync<JsonElement>();
                id = created.GetProperty("session_id").GetString()!;
                await using var terminal = await TerminalSocketClient.ConnectAsync(first.Address, $"/ws/terminal/{id}");
                await terminal.WaitForAsync("$ ");
                await terminal.SendKeysAsync("echo before-stop-$((3*5))\r");
                await terminal.WaitForAsync("before-stop-15");

                var stopping = first.StopAsync();
                (await terminal.WaitForCloseAsync(TimeSpan.FromSeconds(30))).ShouldBe(RestartClose.ServiceRestart);
                terminal.CloseDescription.ShouldBe(RestartClose.Reason);
                await terminal.DisposeAsync(); // as a browser would, it answers the close and goes
                await stopping;
            }

            (await DockerCli.RunAsync($"ps -q --filter label=remolt.session-id={id} --filter status=running")).Trim().ShouldNotBeEmpty("the sandbox outlives the server");

            await using var second = await AppProcess.StartAsync(data, settings);
            using var client = new HttpClient { BaseAddress = second.Address };
            var listed = await client.GetFromJsonAsync<JsonElement>("api/sessions");
            listed.EnumerateArray().Select(s => s.GetProperty("session_id").GetString()).ShouldContain(id);
            await using (var reattached = await TerminalSocketClient.ConnectAsync(second.Address, $"/ws/terminal/{id}"))
            {
                await reattached.WaitForAsync("before-stop-15");
            }

            (await client.DeleteAsync($"api/sessions/{id}")).EnsureSuccessStatusCode();
        }
        finally
        {
            await DockerCli.RemoveInstanceAsync(data);
            TestDataFolder.Delete(data);
        }
    }
}
