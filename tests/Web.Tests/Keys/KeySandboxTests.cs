using System.Net;
using System.Net.WebSockets;
using System.Text;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using RemoltBlazor.TestSupport;
using RemoltBlazor.Web.Tests.Hosting;
using static RemoltBlazor.Web.Tests.Endpoints.SessionApiClient;
using static RemoltBlazor.Web.Tests.Keys.TokenClients;

namespace RemoltBlazor.Web.Tests.Keys;

/// <summary>
/// On real Docker: a stored key reaches the shell of its owner's new session (over stdin, never in the create env or
/// an event), and personal access tokens work on the terminal and logs sockets as they do on the REST API.
/// </summary>
public sealed class KeySandboxTests
{
    private const string StoredKey = "sk-ant-sandbox-8e21f4b6d0";

    [DockerFact]
    public async Task StoredKey_IsInTheNewSessionsShell_NotInInspectEventsOrDatabase_OverATokenAuthenticatedTerminal()
    {
        await SandboxImage.EnsureBuiltAsync();
        var eventsLog = Path.Combine(Path.GetTempPath(), $"remolt-keys-events-{Guid.NewGuid():N}.jsonl");
        var appLogs = new CapturedLogs();
        await using var app = new RemoltAppFactory(
            new Dictionary<string, string?> { ["REMOLT_EVENTS_LOG"] = eventsLog, ["Logging:LogLevel:Default"] = "Debug" },
            services: services => services.AddSingleton<ILoggerProvider>(appLogs));
        var (alice, aliceToken) = await AsUserAsync(app, "alice");
        var (_, bobToken) = await AsUserAsync(app, "bob");
        (await KeyNamesAsync(await PutKeysAsync(alice, $$$"""{"keys":{"ANTHROPIC_API_KEY":"{{{StoredKey}}}"}}"""))).ShouldBe(["ANTHROPIC_API_KEY"]);

        var sessionId = await CreateAsync(alice, "claude-code");

        using (var terminal = await ConnectAsync(app, $"/ws/terminal/{sessionId}", aliceToken.Token))
        {
            await SendAsync(terminal, "echo \"key=[$ANTHROPIC_API_KEY]\"\r");
            (await ReadUntilAsync(terminal, $"key=[{StoredKey}]")).ShouldContain(StoredKey);
        }

        var sandbox = app.Sessions.Get(sessionId, "alice").SandboxId!;
        (await DockerCli.RunAsync($"inspect {sandbox}")).ShouldNotContain(StoredKey);
        var stored = await EverythingStoredAsync(app, eventsLog);
        stored.ShouldContain("session.created");
        stored.ShouldNotContain(StoredKey);
        stored.ShouldNotContain(aliceToken.Token[12..]);
        appLogs.Text.ShouldContain(sessionId);
        appLogs.Text.ShouldNotContain(StoredKey);
        appLogs.Text.ShouldNotContain(aliceToken.Token[12..]);

        // Bob's token is refused on alice's terminal and logs; a forged token is refused before the upgrade.
        using (var bobs = await ConnectAsync(app, $"/ws/terminal/{sessionId}", bobToken.Token))
        {
            await DrainAsync(bobs);
            bobs.CloseStatus.ShouldNotBeNull();
            ((int)bobs.CloseStatus!).ShouldBeOneOf(4003, 4004);
        }

        var forged = aliceToken.Token[..12] + new string('A', aliceToken.Token.Length - 12);
        foreach (var path in new[] { $"/ws/terminal/{sessionId}", $"/ws/logs/{sessionId}" })
        {
            var refused = await Should.ThrowAsync<WebSocketException>(() => ConnectAsync(app, path, forged));
            refused.Message.ShouldContain("401");
        }

        // Alice's token passes the logs socket's ownership check: claude-code simply has no logs to stream.
        using (var logs = await ConnectAsync(app, $"/ws/logs/{sessionId}", aliceToken.Token))
        {
            await DrainAsync(logs);
            logs.CloseStatusDescription.ShouldBe("No logs for this agent");
        }

        using (var bobsLogs = await ConnectAsync(app, $"/ws/logs/{sessionId}", bobToken.Token))
        {
            await DrainAsync(bobsLogs);
            bobsLogs.CloseStatusDescription.ShouldNotBe("No logs for this agent");
        }

        // The refusals were logged (at debug) without the tokens that were refused.
        appLogs.Text.ShouldNotContain(bobToken.Token[12..]);
        appLogs.Text.ShouldNotContain(aliceToken.Token[12..]);
        alice.Dispose();
        File.Delete(eventsLog);
    }

    private static async Task<ClientWebSocket> ConnectAsync(RemoltAppFactory app, string path, string token)
    {
        var socket = new ClientWebSocket();
        socket.Options.SetRequestHeader("Authorization", $"Bearer {token}");
        try
        {
            await socket.ConnectAsync(new Uri($"ws://{app.BaseAddress.Authority}{path}"), CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(30));
            return socket;
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    private static Task SendAsync(ClientWebSocket socket, string keys) =>
        socket.SendAsync(Encoding.UTF8.GetBytes(keys), WebSocketMessageType.Binary, true, CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(10));

    /// <summary>Reads terminal output until <paramref name="expected"/> shows (45 s at most).</summary>
    private static async Task<string> ReadUntilAsync(ClientWebSocket socket, string expected)
    {
        var screen = new StringBuilder();
        var buffer = new byte[16 * 1024];
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(45));
        while (!screen.ToString().Contains(expected, StringComparison.Ordinal))
        {
            var received = await socket.ReceiveAsync(buffer, timeout.Token);
            if (received.MessageType == WebSocketMessageType.Close)
            {
                throw new InvalidOperationException($"closed before '{expected}': {screen}");
            }

            screen.Append(Encoding.UTF8.GetString(buffer, 0, received.Count));
        }

        return screen.ToString();
    }

    private static async Task DrainAsync(ClientWebSocket socket)
    {
        var buffer = new byte[4096];
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        while (socket.State == WebSocketState.Open)
        {
            if ((await socket.ReceiveAsync(buffer, timeout.Token)).MessageType == WebSocketMessageType.Close)
            {
                break;
            }
        }
    }
}
