using System.Text;
using Microsoft.AspNetCore.Http;
using RemoltBlazor.Web.Proxy;

namespace RemoltBlazor.Web.Tests.Proxy;

/// <summary>The proxies' pure rules: port allow-list, cookies, request and response headers, the connect frame.</summary>
public sealed class ProxyPolicyTests
{
    private static readonly ProxyTarget s_dashboard = Target(ProxyKind.Dashboard, 18789, "/proxy/abc/");
    private static readonly ProxyTarget s_vscode = Target(ProxyKind.VsCode, 18080, "/vscode/abc/");
    private static readonly ProxyTarget s_preview = Target(ProxyKind.Preview, 5173, "/proxy/abc/port/5173/");

    [Theory]
    [InlineData("3000-3999,5173,8000-8999", 3000, true)]
    [InlineData("3000-3999,5173,8000-8999", 3999, true)]
    [InlineData("3000-3999,5173,8000-8999", 5173, true)]
    [InlineData("3000-3999,5173,8000-8999", 5174, false)]
    [InlineData("3000-3999,5173,8000-8999", 2999, false)]
    [InlineData(" 1024 - 65535 ", 65535, true)]
    [InlineData("1024-65535", 1023, false)]
    public void PortRanges_Contains(string list, int port, bool expected)
    {
        PortRanges.TryParse(list, out var ranges, out var errors).ShouldBeTrue(string.Join(", ", errors));

        ranges.Contains(port).ShouldBe(expected);
    }

    [Theory]
    [InlineData("", "the list is empty")]
    [InlineData("abc", "'abc' is not a port (1-65535) or a range of ports like 3000-3999")]
    [InlineData("0", "'0' is not a port (1-65535) or a range of ports like 3000-3999")]
    [InlineData("70000", "'70000' is not a port (1-65535) or a range of ports like 3000-3999")]
    [InlineData("4000-3000", "'4000-3000' ends before it starts")]
    [InlineData("3000,,4000", "an entry is empty")]
    [InlineData("-5", "'-5' is not a port (1-65535) or a range of ports like 3000-3999")]
    public void PortRanges_Invalid_NamesTheEntry(string list, string error)
    {
        PortRanges.TryParse(list, out _, out var errors).ShouldBeFalse();

        errors.ShouldContain(error);
    }

    [Fact]
    public void ProxyOptionsValidator_ListsEveryError()
    {
        var result = new ProxyOptionsValidator().Validate(null, new ProxyOptions { PreviewPorts = "x,9-1", HeadersTimeoutSeconds = 0 });

        result.Failed.ShouldBeTrue();
        result.Failures.Count().ShouldBe(3);
    }

    [Theory]
    [InlineData("remolt_auth=secret; sandbox=keep", "sandbox=keep")]
    [InlineData("remolt_auth=secret", null)]
    [InlineData("a=1;b=2", "a=1; b=2")]
    [InlineData(".AspNetCore.Antiforgery.x=t; REMOLT_other=1; remolt_dashboard=abc; keep=yes", "keep=yes")]
    [InlineData("__Host-remolt_auth=s; x=\"quoted; still\"", "x=\"quoted; still\"")]
    public void FilterRequestCookies_DropsAppCookies(string header, string? expected)
    {
        ProxyCookies.FilterRequestCookies([header]).ShouldBe(expected);
    }

    [Theory]
    [InlineData("a=1", "a=1; Path=/proxy/abc/")]
    [InlineData("a=1; Path=/", "a=1; Path=/proxy/abc/")]
    [InlineData("a=1; path=/x/y; Domain=localhost; Secure; SameSite=Lax", "a=1; Path=/proxy/abc/x/y; Secure; SameSite=Lax")]
    [InlineData("remolt_auth=forged; Path=/", null)]
    [InlineData(".AspNetCore.Cookies=x", null)]
    public void RewriteSetCookie_PathUnderPrefix_NoDomain_NoAppNames(string setCookie, string? expected)
    {
        ProxyCookies.RewriteSetCookie(setCookie, "/proxy/abc/").ShouldBe(expected);
    }

    [Fact]
    public void RequestHeaders_DropCredentialsHopByHopAndConnectionListed()
    {
        var headers = new HeaderDictionary
        {
            ["Host"] = "app.example",
            ["Authorization"] = "Bearer x",
            ["Cookie"] = "remolt_auth=s; mine=1",
            ["Connection"] = "keep-alive, X-Private",
            ["X-Private"] = "hop",
            ["Keep-Alive"] = "timeout=5",
            ["Upgrade"] = "websocket",
            ["X-Forwarded-For"] = "1.2.3.4",
            ["Accept"] = "text/html",
            ["Origin"] = "https://app.example",
            ["Sec-WebSocket-Key"] = "abc",
        };

        var http = RequestHeaderPolicy.Forwarded(headers, webSocket: false, forwardOrigin: true).ToDictionary(h => h.Key, h => h.Value.ToString());
        var socket = RequestHeaderPolicy.Forwarded(headers, webSocket: true, forwardOrigin: false).Select(h => h.Key).ToList();

        http.Keys.ShouldBe(["Accept", "Origin", "Sec-WebSocket-Key", "Cookie"], ignoreOrder: true);
        http["Cookie"].ShouldBe("mine=1");
        socket.ShouldBe(["Accept", "Cookie"], ignoreOrder: true);
    }

    [Fact]
    public void ResponseHeaders_MultiValuesKept_OriginWideHeadersDropped_PreviewSandboxed()
    {
        var upstream = new Dictionary<string, IEnumerable<string>>
        {
            ["Set-Cookie"] = ["a=1", "b=2; Path=/b", "remolt_x=1"],
            ["Vary"] = ["Accept", "Accept-Encoding"],
            ["Transfer-Encoding"] = ["chunked"],
            ["Strict-Transport-Security"] = ["max-age=1"],
            ["Clear-Site-Data"] = ["\"cookies\""],
            ["X-Frame-Options"] = ["SAMEORIGIN"],
        };

        var preview = ResponseHeaderPolicy.Rewrite(upstream, s_preview).ToList();
        var vscode = ResponseHeaderPolicy.Rewrite(upstream, s_vscode).ToDictionary(h => h.Key, h => h.Value);

        preview.Single(h => h.Key == "Set-Cookie").Value.ShouldBe(["a=1; Path=/proxy/abc/port/5173/", "b=2; Path=/proxy/abc/port/5173/b"]);
        preview.Single(h => h.Key == "Vary").Value.ShouldBe(["Accept", "Accept-Encoding"]);
        preview.Select(h => h.Key).ShouldNotContain("Transfer-Encoding");
        preview.Select(h => h.Key).ShouldNotContain("Strict-Transport-Security");
        preview.Select(h => h.Key).ShouldNotContain("Clear-Site-Data");
        preview.Single(h => h.Key == "Content-Security-Policy").Value.ShouldBe([ResponseHeaderPolicy.PreviewSandboxPolicy]);
        vscode["X-Frame-Options"].ShouldBe(["SAMEORIGIN"]); // same-origin iframe: nothing to lift
        vscode.ContainsKey("Content-Security-Policy").ShouldBeFalse();
    }

    [Theory]
    [InlineData("http://localhost:18789/a?b=1#f", "/proxy/abc/a?b=1#f")]
    [InlineData("http://127.0.0.1:18789/", "/proxy/abc/")]
    [InlineData("http://0.0.0.0:18789/x", "/proxy/abc/x")]
    [InlineData("/login", "/proxy/abc/login")]
    [InlineData("/proxy/abc/already", "/proxy/abc/already")]
    [InlineData("//localhost:18789/sr", "/proxy/abc/sr")]
    [InlineData("relative/path", "relative/path")]
    [InlineData("https://github.com/login", "https://github.com/login")]
    [InlineData("http://localhost:9999/other-port", "http://localhost:9999/other-port")]
    public void RewriteLocation_UpstreamOnly(string location, string expected)
    {
        ResponseHeaderPolicy.RewriteLocation(location, s_dashboard).ShouldBe(expected);
    }

    [Theory]
    [InlineData("""{"method":"connect","params":{"auth":{}}}""", """{"method":"connect","params":{"auth":{"token":"tok"}}}""")]
    [InlineData("""{"method":"connect","params":{"auth":{"token":""},"x":1}}""", """{"method":"connect","params":{"auth":{"token":"tok"},"x":1}}""")]
    [InlineData("""{"method":"connect","params":{"auth":{"token":null}}}""", """{"method":"connect","params":{"auth":{"token":"tok"}}}""")]
    [InlineData("""{"method":"connect","params":{"auth":{"token":"mine"}}}""", """{"method":"connect","params":{"auth":{"token":"mine"}}}""")]
    [InlineData("""{"method":"connect"}""", """{"method":"connect","params":{"auth":{"token":"tok"}}}""")]
    [InlineData("""{"type":"req","id":"1","method":"connect","params":{}}""", """{"type":"req","id":"1","method":"connect","params":{"auth":{"token":"tok"}}}""")]
    public void ConnectFrame_TokenSetWhenFalsy(string frame, string expected)
    {
        ConnectFrameToken.Inject(frame, "tok").ShouldBe(expected);
    }

    [Theory]
    // Signed by the browser's device key (current OpenClaw): a changed byte breaks the signature.
    [InlineData("""{"method":"connect","params":{"auth":{"token":""},"device":{"id":1,"signature":"s"}}}""")]
    [InlineData("""{"type":"req","id":"1","method":"connect","params":{"device":{"id":"d"}}}""")]
    [InlineData("""{"method":"chat","params":{"auth":{}}}""")]
    [InlineData("""{"method":"connect","params":"not an object"}""")]
    [InlineData("""{"method":"connect","params":{"auth":"nope"}}""")]
    [InlineData("""["method","connect"]""")]
    [InlineData("not json at all")]
    [InlineData("""{"method":1}""")]
    [InlineData("")]
    public void ConnectFrame_AnythingElse_Unchanged(string frame)
    {
        ConnectFrameToken.Inject(frame, "tok").ShouldBe(frame);
    }

    [Fact]
    public void OpenClawBasePath_RewritesOnlyTheEmptyMarker()
    {
        OpenClawBasePath.Rewrite("a __OPENCLAW_CONTROL_UI_BASE_PATH__=\"\" b __OPENCLAW_CONTROL_UI_BASE_PATH__=\"/x/\"", "/proxy/abc/")
            .ShouldBe("a __OPENCLAW_CONTROL_UI_BASE_PATH__=\"/proxy/abc/\" b __OPENCLAW_CONTROL_UI_BASE_PATH__=\"/x/\"");
        OpenClawBasePath.TryRewrite("no marker here"u8, null, "/p/").ShouldBeNull();
        OpenClawBasePath.TryRewrite("garbage"u8, "gzip", "/p/").ShouldBeNull();
    }

    [Fact]
    public void OpenClawBasePath_CurrentGateway_AttributeAndAbsoluteAssetsGoUnderThePrefix()
    {
        // The shape OpenClaw 2026.9 serves: the base path on <html>, the page's assets absolute.
        const string html = """
            <html data-openclaw-control-ui-base-path="" data-x="1"><head>
            <script type="module" crossorigin src="/assets/index-D.js"></script>
            <link rel="modulepreload" crossorigin href="/assets/lit-r.js"><a href="/elsewhere/">x</a>
            """;

        var rewritten = Encoding.UTF8.GetString(OpenClawBasePath.TryRewrite(Encoding.UTF8.GetBytes(html), null, "/proxy/abc/")!);

        rewritten.ShouldContain("data-openclaw-control-ui-base-path=\"/proxy/abc\"");
        rewritten.ShouldContain("src=\"/proxy/abc/assets/index-D.js\"");
        rewritten.ShouldContain("href=\"/proxy/abc/assets/lit-r.js\"");
        rewritten.ShouldContain("href=\"/elsewhere/\""); // only the page's own assets
        OpenClawBasePath.Rewrite("<a href=\"/assets/x\">", "/proxy/abc/").ShouldBe("<a href=\"/assets/x\">"); // not an OpenClaw page
    }

    private static ProxyTarget Target(ProxyKind kind, int port, string prefix) => new(null!, "sandbox", port, kind, prefix, null);
}
