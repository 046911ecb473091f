using System.Net.WebSockets;
using System.Text;
using RemoltBlazor.TestSupport.Kubernetes;

namespace RemoltBlazor.Sandboxes.Tests.Kubernetes;

/// <summary>
/// Exec over WebSocket on the fake, driven by the real kubectl (which offers v5 and fails over to SPDY on anything
/// but a 101) and by a raw client for what kubectl does not show: the subprotocol chosen, the PTY and its resize.
/// </summary>
public sealed class FakeApiServerExecTests : FakeApiServerTestBase
{
    private const string Ns = FakeApiServer.Namespace;

    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        var file = Cli.WriteFile("box.yaml", FakeApiServerFidelityTests.Pod("box", "x"));
        var created = await Cli.RunAsync("create", "-f", file, "--validate=false");
        created.ExitCode.ShouldBe(0, created.ToString());
    }


    [Fact]
    public async Task Kubectl_exec_prints_the_commands_output()
    {
        var exec = await Cli.RunAsync("exec", "box", "--", "echo", "hi");
        exec.ExitCode.ShouldBe(0, exec.ToString());
        exec.Output.ShouldBe("hi\n");
    }

    [Fact]
    public async Task Kubectl_exec_exits_with_the_commands_exit_code()
    {
        var exec = await Cli.RunAsync("exec", "box", "--", "sh", "-c", "echo oops >&2; exit 7");
        exec.ExitCode.ShouldBe(7, exec.ToString());
        exec.Error.ShouldContain("oops");
    }

    [Fact]
    public async Task Kubectl_exec_feeds_stdin_and_closes_it()
    {
        // cat ends only when its stdin closes: kubectl's close on channel 255 (v5) has to reach it.
        var exec = await Cli.RunWithInputAsync(TimeSpan.FromSeconds(20), Server.KubeconfigPath, "from stdin\n", "exec", "-i", "box", "--", "cat");
        exec.ExitCode.ShouldBe(0, exec.ToString());
        exec.Output.ShouldBe("from stdin\n");
    }

    [Fact]
    public async Task Kubectl_exec_it_gives_the_command_a_terminal_of_kubectls_size()
    {
        // kubectl sends its terminal's size on channel 4 as the exec starts; the sleep lets it land before stty reads it.
        var exec = await Cli.RunInTerminalAsync(37, 111, "exec", "-it", "box", "--", "sh", "-c", "sleep 0.5; stty size; tty; exit 5");
        exec.ExitCode.ShouldBe(5, exec.ToString());
        exec.Output.ShouldContain("37 111", customMessage: exec.ToString());
        exec.Output.ShouldContain("/dev/pts/", customMessage: exec.ToString());
    }

    [Fact]
    public async Task Kubectl_exec_it_attaches_to_tmux_at_its_size_and_reattaches_to_the_earlier_output()
    {
        // The fake runs execs on this host, so a private tmux server (its own socket) stands in for the sandbox's.
        var socket = "remolt-fake-" + Guid.NewGuid().ToString("N")[..8];
        string[] tmux = ["env", "TERM=xterm-256color", "tmux", "-L", socket];
        (await Host([.. tmux, "new-session", "-d", "-s", "s", "-x", "80", "-y", "24", "echo earlier-output-42; exec sleep 60"])).ShouldBe(0);
        try
        {
            for (var attach = 0; attach < 2; attach++)
            {
                var attached = Cli.RunInTerminalAsync(37, 111, ["exec", "-it", "box", "--", .. tmux, "attach", "-t", "s"]);
                var size = "";
                await TestSupport.Poll.UntilAsync(async () =>
                {
                    size = await HostOutput([.. tmux, "list-clients", "-F", "#{client_width}x#{client_height}"]);
                    return size.Trim() == "111x37";
                }, TimeSpan.FromSeconds(15));

                (await Host([.. tmux, "detach-client", "-s", "s"])).ShouldBe(0);
                var exec = await attached;
                exec.ExitCode.ShouldBe(0, exec.ToString());
                exec.Output.ShouldContain("earlier-output-42", customMessage: exec.ToString());
            }
        }
        finally
        {
            await Host([.. tmux, "kill-server"]);
        }
    }

    [Theory]
    [InlineData(new[] { FakeExec.V5, FakeExec.V4 }, FakeExec.V5)]
    [InlineData(new[] { FakeExec.V4 }, FakeExec.V4)]
    public async Task The_newest_offered_protocol_is_chosen(string[] offered, string chosen)
    {
        using var socket = await ConnectAsync("command=true", offered);
        socket.SubProtocol.ShouldBe(chosen);
        var messages = await ReadAllAsync(socket);
        messages[^1].Channel.ShouldBe((byte)3);
        messages[^1].Text.ShouldContain("\"Success\"");
    }

    [Fact]
    public async Task A_tty_exec_runs_under_a_pty_that_resizes()
    {
        using var socket = await ConnectAsync("command=sh&command=-c&command=read%20x%3B%20stty%20size%3B%20exit%203&stdin=true&stdout=true&tty=true", [FakeExec.V5, FakeExec.V4]);
        await SendAsync(socket, 4, "{\"Width\":123,\"Height\":45}\n");
        await Task.Delay(300);
        await SendAsync(socket, 0, "go\n");
        var messages = await ReadAllAsync(socket);

        var output = string.Concat(messages.Where(message => message.Channel == 1).Select(message => message.Text));
        output.ShouldContain("45 123", customMessage: output);
        var status = messages.Single(message => message.Channel == 3).Text;
        status.ShouldContain("\"NonZeroExitCode\"");
        status.ShouldContain("\"message\":\"3\"");
    }

    private static async Task<int> Host(string[] command)
    {
        using var process = System.Diagnostics.Process.Start(new System.Diagnostics.ProcessStartInfo(command[0], command[1..]) { UseShellExecute = false })!;
        await process.WaitForExitAsync();
        return process.ExitCode;
    }

    private static async Task<string> HostOutput(string[] command)
    {
        using var process = System.Diagnostics.Process.Start(new System.Diagnostics.ProcessStartInfo(command[0], command[1..]) { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true })!;
        var output = await process.StandardOutput.ReadToEndAsync();
        await process.WaitForExitAsync();
        return output;
    }

    private Task<ClientWebSocket> ConnectAsync(string query, string[] protocols) => ConnectAsync(Server, "box", query, protocols);

    /// <summary>A raw exec WebSocket to <paramref name="pod"/>, offering <paramref name="protocols"/>.</summary>
    internal static async Task<ClientWebSocket> ConnectAsync(FakeApiServer server, string pod, string query, string[] protocols)
    {
        var socket = new ClientWebSocket();
        socket.Options.RemoteCertificateValidationCallback = (_, certificate, _, _) =>
            certificate is not null && server.Certificates.Trusts(new System.Security.Cryptography.X509Certificates.X509Certificate2(certificate));
        socket.Options.SetRequestHeader("Authorization", "Bearer " + server.Token);
        foreach (var protocol in protocols)
        {
            socket.Options.AddSubProtocol(protocol);
        }

        var url = new UriBuilder(server.Url) { Scheme = "wss", Path = $"/api/v1/namespaces/{Ns}/pods/{pod}/exec", Query = query }.Uri;
        await socket.ConnectAsync(url, new CancellationTokenSource(TimeSpan.FromSeconds(10)).Token);
        return socket;
    }

    internal static Task SendAsync(WebSocket socket, byte channel, string text) =>
        socket.SendAsync((byte[])[channel, .. Encoding.UTF8.GetBytes(text)], WebSocketMessageType.Binary, true, CancellationToken.None);

    internal static async Task<List<(byte Channel, string Text)>> ReadAllAsync(WebSocket socket)
    {
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(15));
        var messages = new List<(byte, string)>();
        var buffer = new byte[64 * 1024];
        while (true)
        {
            using var message = new MemoryStream();
            WebSocketReceiveResult result;
            do
            {
                result = await socket.ReceiveAsync(buffer, deadline.Token);
                message.Write(buffer, 0, result.Count);
            }
            while (!result.EndOfMessage);

            if (result.MessageType == WebSocketMessageType.Close)
            {
                return messages;
            }

            var data = message.ToArray();
            messages.Add((data[0], Encoding.UTF8.GetString(data, 1, data.Length - 1)));
        }
    }
}
