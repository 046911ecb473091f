using System.Buffers;
using System.Diagnostics;
using System.Globalization;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;

namespace RemoltBlazor.TestSupport.Kubernetes;

/// <summary>
/// <c>pods/{name}/exec</c> over WebSocket, as the API server relays it from the kubelet: the command runs here, on the
/// host (under a PTY from <c>script</c> when tty=true), every message is <c>[channel][payload]</c> (0 stdin, 1 stdout,
/// 2 stderr, 3 status, 4 resize, 255 close on v5), and the exit status goes out on channel 3 before the close.
/// </summary>
public static class FakeExec
{
    public const string V5 = "v5.channel.k8s.io";
    public const string V4 = "v4.channel.k8s.io";

    internal static async Task HandleAsync(HttpContext http, FakeResourceStore store, string ns, string name)
    {
        store.Get(FakeResourceKind.Pods, ns, name);
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
        using var socket = await http.WebSockets.AcceptWebSocketAsync(new WebSocketAcceptContext { SubProtocol = protocol });
        var sender = new FakeExecSender(socket);
        using var process = Start(command, tty);
        await sender.SendAsync(1, ReadOnlyMemory<byte>.Empty);
        var output = PumpAsync(process.StandardOutput.BaseStream, 1, sender);
        var errors = PumpAsync(process.StandardError.BaseStream, 2, sender);
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(http.RequestAborted);
        var input = ReceiveAsync(socket, process, tty, stop.Token);
        try
        {
            await Task.WhenAll(output, errors);
            await process.WaitForExitAsync(http.RequestAborted);
            await sender.SendAsync(3, Encoding.UTF8.GetBytes(Status(command, process.ExitCode).ToJsonString()));
            await socket.CloseAsync(WebSocketCloseStatus.NormalClosure, null, http.RequestAborted);
        }
        finally
        {
            await stop.CancelAsync();
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
            }

            await input.ContinueWith(_ => { }, TaskScheduler.Default);
        }
    }

    // script -e passes the command's exit status on; -f flushes at once, so output is not held back by script's buffering.
    private static Process Start(IReadOnlyList<string> command, bool tty)
    {
        var psi = new ProcessStartInfo(tty ? "script" : command[0])
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        if (tty)
        {
            foreach (var argument in new[] { "-qfec", string.Join(' ', command.Select(Quote)), "/dev/null" })
            {
                psi.ArgumentList.Add(argument);
            }
        }
        else
        {
            foreach (var argument in command.Skip(1))
            {
                psi.ArgumentList.Add(argument);
            }
        }

        return Process.Start(psi) ?? throw new FakeApiException(500, "InternalError", $"could not start {command[0]}");
    }

    private static string Quote(string argument) => "'" + argument.Replace("'", "'\\''", StringComparison.Ordinal) + "'";

    private static async Task PumpAsync(Stream from, byte channel, FakeExecSender sender)
    {
        var buffer = ArrayPool<byte>.Shared.Rent(16 * 1024);
        try
        {
            int read;
            while ((read = await from.ReadAsync(buffer)) > 0)
            {
                await sender.SendAsync(channel, buffer.AsMemory(0, read));
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    private static async Task ReceiveAsync(WebSocket socket, Process process, bool tty, CancellationToken cancellationToken)
    {
        var stdin = process.StandardInput.BaseStream;
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
                    await stdin.WriteAsync(data.AsMemory(1), cancellationToken);
                    await stdin.FlushAsync(cancellationToken);
                    break;
                case 4 when tty:
                    var size = JsonNode.Parse(Encoding.UTF8.GetString(data, 1, data.Length - 1))!;
                    await FakeExecTerminal.ResizeAsync(process, size["Width"]!.GetValue<int>(), size["Height"]!.GetValue<int>(), cancellationToken);
                    break;
                case 255 when data.Length > 1 && data[1] == 0:
                    process.StandardInput.Close();
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
