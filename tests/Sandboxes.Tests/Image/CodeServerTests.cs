using System.Net.Sockets;
using System.Text;
using RemoltBlazor.Sandboxes.Tests.Docker;
using RemoltBlazor.TestSupport;

namespace RemoltBlazor.Sandboxes.Tests.Image;

/// <summary>
/// The image's code-server launcher: the entrypoint runs it at container start, and what it starts listens on the
/// sandbox's 127.0.0.1:18080 only, reachable through the runtime (ConnectAsync) and not over the network. The test
/// image has no code-server (GitHub releases are unreachable here), so the stand-in takes its place.
/// </summary>
public sealed class CodeServerTests : IClassFixture<DockerSandboxFixture>
{
    private const int Port = 18080;

    private readonly DockerSandboxFixture _sandbox;

    public CodeServerTests(DockerSandboxFixture sandbox) => _sandbox = sandbox;

    [DockerFact]
    public async Task Entrypoint_ImageWithoutCodeServer_LogsWhyNothingStarted()
    {
        var log = await ShAsync("cat ~/.remolt/code-server.log; stat -c %a ~/.remolt");

        log.ShouldContain("code-server is not installed in this image");
        log.Trim().Split('\n')[^1].ShouldBe("700");
    }

    [DockerFact]
    public async Task StandIn_Started_AnswersHttpThroughConnectAsyncButNotOnTheNetwork()
    {
        (await ShAsync("remolt-code-server --stand-in && remolt-code-server --stand-in && remolt-code-server --status && echo up")).Trim().ShouldEndWith("up");

        await using (var connection = await _sandbox.Runtime.ConnectAsync(_sandbox.SandboxId, Port, CancellationToken.None).WaitAsync(DockerTestEngine.Timeout))
        {
            var request = Encoding.ASCII.GetBytes("GET /vscode/?folder=x HTTP/1.1\r\nHost: sandbox\r\nConnection: close\r\n\r\n");
            await connection.WriteAsync(request, CancellationToken.None);
            using var reader = new StreamReader(connection, Encoding.UTF8);
            var response = await reader.ReadToEndAsync().WaitAsync(DockerTestEngine.Timeout);

            response.ShouldStartWith("HTTP/1.1 200");
            response.ShouldContain("X-Stand-In-Path: /vscode/?folder=x", Case.Insensitive);
            response.ShouldContain("remolt code-server stand-in");
        }

        // The sandbox's own address on its network: nothing answers there (bound to loopback only).
        var address = await DockerTestEngine.CliAsync(
            "inspect", "-f", "{{range .NetworkSettings.Networks}}{{.IPAddress}}{{end}}", _sandbox.SandboxId);
        address.ShouldNotBeNullOrWhiteSpace();
        using var client = new TcpClient();
        await Should.ThrowAsync<SocketException>(() => client.ConnectAsync(address, Port).WaitAsync(DockerTestEngine.Timeout));
    }

    [DockerFact]
    public async Task StandIn_WebSocket_EchoesThroughConnectAsync()
    {
        (await ShAsync("remolt-code-server --stand-in && echo up")).Trim().ShouldEndWith("up");
        await using var connection = await _sandbox.Runtime.ConnectAsync(_sandbox.SandboxId, Port, CancellationToken.None).WaitAsync(DockerTestEngine.Timeout);
        using var socket = System.Net.WebSockets.WebSocket.CreateFromStream(
            await UpgradeAsync(connection), new System.Net.WebSockets.WebSocketCreationOptions { IsServer = false });

        var payload = Encoding.UTF8.GetBytes(new string('x', 70_000) + "end");
        await socket.SendAsync(payload, System.Net.WebSockets.WebSocketMessageType.Text, endOfMessage: true, CancellationToken.None)
            .WaitAsync(DockerTestEngine.Timeout);
        using var received = new MemoryStream();
        var buffer = new byte[16 * 1024];
        System.Net.WebSockets.ValueWebSocketReceiveResult result;
        do
        {
            result = await socket.ReceiveAsync(buffer.AsMemory(), CancellationToken.None).AsTask().WaitAsync(DockerTestEngine.Timeout);
            received.Write(buffer, 0, result.Count);
        }
        while (!result.EndOfMessage);

        received.ToArray().ShouldBe(payload);
    }

    /// <summary>Sends the HTTP upgrade by hand (the stream is already connected) and checks the 101.</summary>
    private static async Task<Stream> UpgradeAsync(Stream connection)
    {
        var key = Convert.ToBase64String(Guid.NewGuid().ToByteArray());
        var request = $"GET /vscode/stable-x HTTP/1.1\r\nHost: sandbox\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: {key}\r\nSec-WebSocket-Version: 13\r\n\r\n";
        await connection.WriteAsync(Encoding.ASCII.GetBytes(request), CancellationToken.None);
        var head = new StringBuilder();
        var one = new byte[1];
        while (!head.ToString().EndsWith("\r\n\r\n", StringComparison.Ordinal))
        {
            var read = await connection.ReadAsync(one, CancellationToken.None).AsTask().WaitAsync(DockerTestEngine.Timeout);
            if (read == 0)
            {
                throw new EndOfStreamException($"The stand-in closed during the upgrade: {head}");
            }

            head.Append((char)one[0]);
        }

        head.ToString().ShouldStartWith("HTTP/1.1 101");
        return connection;
    }

    private async Task<string> ShAsync(string script)
    {
        var result = await _sandbox.Runtime.ExecAsync(_sandbox.SandboxId, ["bash", "-c", script], ReadOnlyMemory<byte>.Empty, CancellationToken.None)
            .WaitAsync(DockerTestEngine.Timeout);
        result.ExitCode.ShouldBe(0, Encoding.UTF8.GetString(result.Stderr));
        return Encoding.UTF8.GetString(result.Stdout);
    }
}
