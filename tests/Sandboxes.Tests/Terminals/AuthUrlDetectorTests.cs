using System.Text;
using RemoltBlazor.Sandboxes.Terminals;

namespace RemoltBlazor.Sandboxes.Tests.Terminals;

/// <summary>The auth-URL detector on output shaped like real agent CLIs print it.</summary>
public sealed class AuthUrlDetectorTests
{
    private const string ClaudeUrl = "https://claude.ai/oauth/authorize?code=true&client_id=9d1c250a-e61b&response_type=code&redirect_uri=https%3A%2F%2Fconsole.anthropic.com%2Foauth%2Fcode%2Fcallback&scope=org%3Acreate_api_key+user%3Aprofile&state=Zt3q";

    [Fact]
    public void Feed_PlainUrlInALine_ReportsIt()
    {
        var detector = new AuthUrlDetector(columns: 400);

        var found = detector.Feed(Bytes($"Browser didn't open? Use the url below to sign in:\r\n\r\n{ClaudeUrl}\r\n"));

        found.ShouldBe([ClaudeUrl]);
    }

    [Fact]
    public void Feed_ColouredUrl_StripsTheEscapes()
    {
        var detector = new AuthUrlDetector(columns: 400);

        var found = detector.Feed(Bytes("\u001b[1m\u001b[38;5;33mhttps://auth.openai.com/oauth/authorize?client_id=app_1&state=x\u001b[0m\r\n"));

        found.ShouldBe(["https://auth.openai.com/oauth/authorize?client_id=app_1&state=x"]);
    }

    [Fact]
    public void Feed_Osc8Hyperlink_ReportsTheTargetNotTheLabel()
    {
        var detector = new AuthUrlDetector(columns: 80);

        var found = detector.Feed(Bytes($"\u001b]8;;{ClaudeUrl}\u001b\\Click here to log in\u001b]8;;\u001b\\\r\n"));

        found.ShouldBe([ClaudeUrl]);
    }

    [Fact]
    public void Feed_UrlHardWrappedAtTheTerminalWidth_JoinsTheLines()
    {
        const int columns = 60;
        var detector = new AuthUrlDetector(columns);
        var wrapped = new StringBuilder();
        for (var i = 0; i < ClaudeUrl.Length; i += columns)
        {
            wrapped.Append(ClaudeUrl.AsSpan(i, Math.Min(columns, ClaudeUrl.Length - i))).Append("\r\n");
        }

        var found = detector.Feed(Bytes("Open this URL:\r\n" + wrapped + "\r\nPaste code here if prompted > "));

        found.ShouldBe([ClaudeUrl]);
    }

    [Fact]
    public void Feed_RecordedCodexLoginThroughTmux_UrlEndsWhereTmuxMovedTheCursor()
    {
        // Recorded: `codex login` (codex-cli 0.171.0) in a 150x40 tmux pane, as /ws/terminal delivered it. tmux
        // wraps the URL at 150 columns and moves to the next text with a cursor jump (ESC [10;1H), not a newline.
        var recorded = File.ReadAllBytes(Path.Combine(AppContext.BaseDirectory, "Terminals", "Samples", "codex-login-through-tmux-150x40.bin"));
        var detector = new AuthUrlDetector(columns: 150);

        var found = detector.Feed(recorded).Concat(detector.Flush()).ToList();

        var url = found.ShouldHaveSingleItem();
        url.ShouldStartWith("https://auth.openai.com/oauth/authorize?response_type=code&client_id=app_");
        url.ShouldContain("redirect_uri=http%3A%2F%2F127.0.0.1%3A1455%2Fauth%2Fcallback&code_challenge=");
        url.ShouldEndWith("&originator=codex_cli_rs");
    }

    [Fact]
    public void Feed_CursorMovesBetweenWords_AreLineBreaksOrGaps()
    {
        var detector = new AuthUrlDetector(columns: 400);

        var found = detector.Feed(Bytes("https://example.com/login?a=1\u001b[5;1HNext line\u001b[3Cmore https://example.com/oauth/x\u001b[2Cword\r\n"));

        found.ShouldBe(["https://example.com/login?a=1", "https://example.com/oauth/x"]);
    }

    [Fact]
    public void Feed_OneByteAtATime_StillFindsItOnce()
    {
        var detector = new AuthUrlDetector(columns: 400);
        var found = new List<string>();

        foreach (var b in Bytes($"\u001b[32m{ClaudeUrl}\u001b[0m\r\nagain: {ClaudeUrl}\r\n"))
        {
            found.AddRange(detector.Feed([b]));
        }

        found.ShouldBe([ClaudeUrl]);
    }

    [Fact]
    public void Feed_UrlWithoutAuthWords_IsIgnored()
    {
        var detector = new AuthUrlDetector(columns: 400);

        detector.Feed(Bytes("See https://docs.anthropic.com/en/docs/claude-code/overview for help\r\n")).ShouldBeEmpty();
    }

    [Fact]
    public void Flush_PromptWithoutNewline_ReportsThePendingUrl()
    {
        var detector = new AuthUrlDetector(columns: 400);

        detector.Feed(Bytes("Visit https://github.com/login/device and enter ABCD-1234")).ShouldBeEmpty();

        detector.Flush().ShouldBe(["https://github.com/login/device"]);
    }

    [Fact]
    public void Feed_AgentPattern_MatchesItsOwnCallbackUrls()
    {
        var detector = new AuthUrlDetector(columns: 400, ["^https://example\\.dev/connect/"]);

        detector.Feed(Bytes("go to https://example.dev/connect/xyz123 now\r\n")).ShouldBe(["https://example.dev/connect/xyz123"]);
    }

    private static byte[] Bytes(string text) => Encoding.UTF8.GetBytes(text);
}
