using System.Globalization;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;

namespace RemoltBlazor.TestSupport.Kubernetes;

/// <summary>
/// <c>pods/{name}/exec</c> over WebSocket, as the API server relays it from the kubelet: the command runs in the pod's
/// backend (<see cref="IFakeExecProcess"/>: on this host, or docker exec in the pod's container), every message is <c>[channel][payload]</c> (0 stdin, 1 stdout,
/// 2 stderr, 3 status, 4 resize, 255 close on v5), and the exit status goes out on channel 3 before the close.
/// </summary>
public static class FakeExec
{
    public const string V5 = "v5.channel.k8s.io";
    public const string V4 = "v4.channel.k8s.io";

    internal static async Task HandleAsync(HttpContext http, FakeResourceStore store, IFakePodBackend pods, string ns, string name)
    {
        var pod = store.Get(FakeResourceKind.Pods, ns, name);

        // The API server checks the container before any upgrade, so kubectl's SPDY fallback gets the same answer.
        var container = FakePodContainers.Runnable(pod, http.Request.Query["container"]);
        var offered = http.WebSockets.WebSocketRequestedProtocols;
        var protocol = offered.Contains(V5) ? V5 : offered.Contains(V4) ? V4 : null;
        if (!http.WebSockets.IsWebSocketRequest || protocol is null)
        {
            // kubectl falls back to SPDY on anything but 101; the fake speaks only the WebSocket protocols.
            throw new FakeApiException(400, "BadRequest", "the fake serves exec over WebSocket (v5.channel.k8s.io or v4.channel.k8s.io) only");
        }

        var query = http.Request.Query;
        var command = query["command"].Select(part => part ?? "").ToList();
        if (command.Count == 0)
        {
            throw new FakeApiException(400, "BadRequest", "you must specify at least 1 command");
        }

        var tty = query["tty"] is ["true" or "1"];
        var stdin = query["stdin"] is ["true" or "1"];
        await using var process = await pods.ExecAsync(pod, container, command, stdin, tty, http.RequestAborted);
        using var socket = await http.WebSockets.AcceptWebSocketAsync(new WebSocketAcceptContext { SubProtocol = protocol });
        var sender = new FakeExecSender(socket);
        await sender.SendAsync(1, ReadOnlyMemory<byte>.Empty);
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(http.RequestAborted);
        var output = process.CopyOutputAsync(sender.SendAsync, http.RequestAborted);
        var input = ReceiveAsync(socket, process, stop.Token);
        try
        {
            await output;
            var exitCode = await process.WaitForExitAsync(http.RequestAborted);
            await sender.SendAsync(3, Encoding.UTF8.GetBytes(Status(command, exitCode).ToJsonString()));
            await socket.CloseAsync(WebSocketCloseStatus.NormalClosure, null, http.RequestAborted);
        }
        finally
        {
            await stop.CancelAsync();
            await input.ContinueWith(_ => { }, TaskScheduler.Default);
        }
    }

    private static async Task ReceiveAsync(WebSocket socket, IFakeExecProcess process, CancellationToken cancellationToken)
    {
        var buffer = new byte[64 * 1024];
        using var message = new MemoryStream();
        while (!cancellationToken.IsCancellationRequested)
        {
            message.SetLength(0);
            WebSocketReceiveResult result;
            do
            {
                result = await socket.ReceiveAsync(buffer, cancellationToken);
                message.Write(buffer, 0, result.Count);
            }
            while (!result.EndOfMessage && result.MessageType != WebSocketMessageType.Close);

            if (result.MessageType == WebSocketMessageType.Close)
            {
                return;
            }

            var data = message.ToArray();
            if (data.Length == 0)
            {
                continue;
            }

            switch (data[0])
            {
                case 0:
                    await process.WriteInputAsync(data.AsMemory(1), cancellationToken);
                    break;
                case 4:
                    var size = JsonNode.Parse(Encoding.UTF8.GetString(data, 1, data.Length - 1))!;
                    await process.ResizeAsync(size["Width"]!.GetValue<int>(), size["Height"]!.GetValue<int>(), cancellationToken);
                    break;
                case 255 when data.Length > 1 && data[1] == 0:
                    process.CloseInput();
                    break;
            }
        }
    }

    private static JsonObject Status(IReadOnlyList<string> command, int exitCode) => exitCode == 0
        ? new JsonObject { ["metadata"] = new JsonObject(), ["status"] = "Success" }
        : new JsonObject
        {
            ["metadata"] = new JsonObject(),
            ["status"] = "Failure",
            ["message"] = $"command terminated with non-zero exit code: error executing command [{string.Join(' ', command)}], exit code {exitCode}",
            ["reason"] = "NonZeroExitCode",
            ["details"] = new JsonObject
            {
                ["causes"] = new JsonArray(new JsonObject { ["reason"] = "ExitCode", ["message"] = exitCode.ToString(CultureInfo.InvariantCulture) }),
            },
        };
}
