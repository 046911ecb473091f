using System.Security.Cryptography;
using System.Text;
using RemoltBlazor.Sandboxes.Sessions;
using RemoltBlazor.TestSupport;
using RemoltBlazor.Web.Tests.Hosting;

namespace RemoltBlazor.Web.Tests.Realtime;

/// <summary>The raw /ws/terminal endpoint against real Docker, spoken with ClientWebSocket.</summary>
public sealed class TerminalSocketTests : IAsyncLifetime
{
    private RemoltAppFactory _app = default!;
    private Session _session = default!;

    public async Task InitializeAsync()
    {
        if (TestEnvironment.DockerSkipReason is not null)
        {
            return;
        }

        await SandboxImage.EnsureBuiltAsync();
        _app = new RemoltAppFactory(new Dictionary<string, string?> { ["REMOLT_ALLOWED_ORIGINS"] = "https://allowed.example" });
        _ = _app.BaseAddress;
        _session = await _app.Sessions.CreateAsync("anonymous", new CreateSessionRequest(), CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(60));
    }

    public async Task DisposeAsync()
    {
        if (_app is not null)
        {
            await _app.DisposeAsync();
        }
    }

    [DockerFact]
    public async Task Terminal_InputResizeOutput_RoundTrips()
    {
        await using var client = await TerminalSocketClient.ConnectAsync(_app.BaseAddress, $"/ws/terminal/{_session.Id}");
        await client.ResizeAsync(132, 40);
        await client.WaitForAsync("$ ");

        await client.SendKeysAsync("echo $((6*7))\r");
        await client.WaitForAsync("42");

        // tmux hands the new size to the pane a moment after its client gets it: ask until the pane reports it.
        await EventuallyAsync(client, "echo cols=$(tput cols)\r", "cols=132");
    }

    private static async Task EventuallyAsync(TerminalSocketClient client, string keys, string expected)
    {
        for (var attempt = 0; attempt < 20; attempt++)
        {
            await client.SendKeysAsync(keys);
            try
            {
                await client.WaitForAsync(expected, TimeSpan.FromMilliseconds(500));
                return;
            }
            catch (TimeoutException)
            {
                // Not yet; try again.
            }
        }

        await client.WaitForAsync(expected, TimeSpan.FromSeconds(5));
    }

    [DockerFact]
    public async Task Terminal_MalformedAndAbsurdResize_IgnoredOrClampedAndStaysOpen()
    {
        await using var client = await TerminalSocketClient.ConnectAsync(_app.BaseAddress, $"/ws/terminal/{_session.Id}");
        await client.WaitForAsync("$ ");

        await client.SendTextAsync("{not json");
        await client.SendTextAsync("{\"type\":\"resize\",\"cols\":\"wide\",\"rows\":null}");
        await client.SendTextAsync(new string('x', 100_000));
        await client.ResizeAsync(1_000_000, 1_000_000);

        await EventuallyAsync(client, "echo size=$(tput cols)x$(tput lines)\r", "size=1000x500");
        client.IsOpen.ShouldBeTrue();
    }

    [DockerFact]
    public async Task Terminal_OversizedBinaryFrame_IsWrittenThroughWhole()
    {
        await using var client = await TerminalSocketClient.ConnectAsync(_app.BaseAddress, $"/ws/terminal/{_session.Id}");
        await client.WaitForAsync("$ ");
        await client.SendKeysAsync("stty -echo; cat > /tmp/frame.txt; stty echo\r");
        await Task.Delay(500);
        var payload = BuildLines(lines: 5000, width: 60); // 300 KB in one frame, far above the 64 KiB receive buffer

        await client.SendBytesAsync(Encoding.ASCII.GetBytes(payload));
        await client.SendKeysAsync("\u0004");
        await client.SendKeysAsync("sha256sum /tmp/frame.txt\r");

        var expected = Convert.ToHexStringLower(SHA256.HashData(Encoding.ASCII.GetBytes(payload.Replace('\r', '\n'))));
        await client.WaitForAsync(expected, TimeSpan.FromSeconds(60));
        client.IsOpen.ShouldBeTrue();
    }

    [DockerFact]
    public async Task Terminal_Reattach_SeedsHistoryThatScrolledOffTheScreen()
    {
        await using (var first = await TerminalSocketClient.ConnectAsync(_app.BaseAddress, $"/ws/terminal/{_session.Id}"))
        {
            await first.WaitForAsync("$ ");
            await first.SendKeysAsync("for i in $(seq 1 300); do echo hist-$i-end; done\r");
            await first.WaitForAsync("hist-300-end");
        }

        await using var second = await TerminalSocketClient.ConnectAsync(_app.BaseAddress, $"/ws/terminal/{_session.Id}");

        // The screen holds only the last rows; the first lines can only arrive as seeded history, in order.
        var screen = await second.WaitForAsync("hist-300-end");
        var first10 = screen.IndexOf("hist-10-end", StringComparison.Ordinal);
        first10.ShouldBeGreaterThanOrEqualTo(0);
        screen.IndexOf("hist-1-end", StringComparison.Ordinal).ShouldBeLessThan(first10);
        screen.IndexOf("hist-250-end", StringComparison.Ordinal).ShouldBeGreaterThan(first10);
    }

    [DockerFact]
    public async Task Terminal_UnknownSession_Closes4004()
    {
        await using var client = await TerminalSocketClient.ConnectAsync(_app.BaseAddress, "/ws/terminal/doesnotexist");

        (await client.WaitForCloseAsync()).ShouldBe(4004);
    }

    [DockerFact]
    public async Task Terminal_ForeignOrigin_Closes4003()
    {
        await using var client = await TerminalSocketClient.ConnectAsync(_app.BaseAddress, $"/ws/terminal/{_session.Id}", origin: "https://evil.example");

        (await client.WaitForCloseAsync()).ShouldBe(4003);
        client.CloseDescription.ShouldBe("Invalid origin");
    }

    [DockerFact]
    public async Task Terminal_ConfiguredOrigin_Connects()
    {
        await using var client = await TerminalSocketClient.ConnectAsync(_app.BaseAddress, $"/ws/terminal/{_session.Id}", origin: "https://allowed.example");

        await client.WaitForAsync("$ ");
    }

    [DockerFact]
    public async Task Terminal_InvalidWindow_Closes4000()
    {
        await using var client = await TerminalSocketClient.ConnectAsync(_app.BaseAddress, $"/ws/terminal/{_session.Id}?window=abc");

        (await client.WaitForCloseAsync()).ShouldBe(4000);
    }

    [DockerFact]
    public async Task Terminal_SecondWindow_IsSeparateTmuxSession()
    {
        await using var first = await TerminalSocketClient.ConnectAsync(_app.BaseAddress, $"/ws/terminal/{_session.Id}");
        await using var second = await TerminalSocketClient.ConnectAsync(_app.BaseAddress, $"/ws/terminal/{_session.Id}?window=1");
        await first.WaitForAsync("$ ");
        await second.WaitForAsync("$ ");

        await second.SendKeysAsync("tmux display-message -p 'in=#{session_name}'\r");

        await second.WaitForAsync("in=main-1");
    }

    [DockerFact]
    public async Task Terminal_SessionEnded_ClosesSocket()
    {
        await using var client = await TerminalSocketClient.ConnectAsync(_app.BaseAddress, $"/ws/terminal/{_session.Id}");
        await client.WaitForAsync("$ ");

        await _app.Sessions.EndAsync(_session, "user", CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(30));

        (await client.WaitForCloseAsync(TimeSpan.FromSeconds(30))).ShouldNotBeNull();
    }

    private static string BuildLines(int lines, int width)
    {
        var text = new StringBuilder(lines * width);
        for (var i = 0; i < lines; i++)
        {
            var prefix = $"{i:D5}:";
            text.Append(prefix).Append(new string((char)('a' + (i % 26)), width - prefix.Length - 1)).Append('\r');
        }

        return text.ToString();
    }
}
