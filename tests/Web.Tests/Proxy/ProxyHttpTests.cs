using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using RemoltBlazor.TestSupport;

namespace RemoltBlazor.Web.Tests.Proxy;

/// <summary>HTTP through /proxy, /vscode and the port preview to upstream.js inside a real Docker sandbox.</summary>
[Collection(ProxySandboxCollection.Name)]
public sealed class ProxyHttpTests(ProxySandboxFixture fixture)
{
    private string Dash => $"/proxy/{fixture.Dashboard.Id}";

    [DockerFact]
    public async Task Get_RepeatedQueryKeys_ArriveRawWithUpstreamHost()
    {
        using var http = fixture.NewClient();

        var echo = await GetJsonAsync(http, $"{Dash}/echo?a=1&a=2&b=%20x%2F");

        echo.GetProperty("method").GetString().ShouldBe("GET");
        echo.GetProperty("url").GetString().ShouldBe("/echo?a=1&a=2&b=%20x%2F");
        echo.GetProperty("headers").GetProperty("host").GetString().ShouldBe("localhost:18789");
        // OpenClaw's gateway refuses a loopback peer with forwarded headers: the dashboard gets none.
        echo.GetProperty("headers").EnumerateObject().ShouldNotContain(h => h.Name.StartsWith("x-forwarded-"));

        var vscode = await GetJsonAsync(http, $"/vscode/{fixture.Dashboard.Id}/echo");
        vscode.GetProperty("headers").GetProperty("x-forwarded-prefix").GetString().ShouldBe($"/vscode/{fixture.Dashboard.Id}");
        vscode.GetProperty("headers").GetProperty("x-forwarded-proto").GetString().ShouldBe("http");
    }

    [DockerFact]
    public async Task Head_HeadersWithoutBody()
    {
        using var http = fixture.NewClient();

        using var response = await http.SendAsync(new HttpRequestMessage(HttpMethod.Head, $"{Dash}/echo"));

        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        response.Content.Headers.ContentType!.MediaType.ShouldBe("application/json");
        (await response.Content.ReadAsByteArrayAsync()).ShouldBeEmpty();
    }

    [DockerFact]
    public async Task Post_FiveMegabytesChunked_StreamedWholeToUpstream()
    {
        using var http = fixture.NewClient();
        var data = RandomNumberGenerator.GetBytes(5 * 1024 * 1024);

        // No length: the body goes chunked, so neither side can have sized a buffer for it in advance.
        using var content = new StreamContent(new NonSeekableStream(data));
        using var response = await http.PostAsync($"/vscode/{fixture.Dashboard.Id}/sha", content);
        var result = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;

        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        result.GetProperty("length").GetInt32().ShouldBe(data.Length);
        result.GetProperty("sha256").GetString().ShouldBe(Convert.ToHexStringLower(SHA256.HashData(data)));
        result.GetProperty("transferEncoding").GetString().ShouldBe("chunked");
    }

    [DockerFact]
    public async Task Post_WithContentLength_LengthKept()
    {
        using var http = fixture.NewClient();
        var data = RandomNumberGenerator.GetBytes(5 * 1024 * 1024);

        using var response = await http.PostAsync($"{Dash}/port/5173/sha", new ByteArrayContent(data));
        var result = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;

        result.GetProperty("sha256").GetString().ShouldBe(Convert.ToHexStringLower(SHA256.HashData(data)));
        result.GetProperty("contentLength").GetString().ShouldBe(data.Length.ToString());
    }

    [DockerFact]
    public async Task Post_LargerThanKestrelsDefaultLimit_ReachesTheSandbox()
    {
        using var http = fixture.NewClient();
        var data = RandomNumberGenerator.GetBytes(40 * 1024 * 1024);

        using var response = await http.PostAsync($"/vscode/{fixture.Dashboard.Id}/sha", new ByteArrayContent(data));
        var result = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;

        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        result.GetProperty("length").GetInt32().ShouldBe(data.Length);
        result.GetProperty("sha256").GetString().ShouldBe(Convert.ToHexStringLower(SHA256.HashData(data)));
    }

    [DockerFact]
    public async Task Cookies_AppCookiesAndAuthorization_NeverArriveUpstream()
    {
        using var http = fixture.NewClient();
        using var request = new HttpRequestMessage(HttpMethod.Get, $"{Dash}/echo");
        request.Headers.TryAddWithoutValidation("Cookie", "remolt_auth=secret; sandbox=keep; .AspNetCore.Antiforgery.abc=token; other=2");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", "secret-token");

        using var response = await http.SendAsync(request);
        var headers = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("headers");

        headers.GetProperty("cookie").GetString().ShouldBe("sandbox=keep; other=2");
        // Never the browser's value: the dashboard gets the agent's own token (agent.json ports[0].auth_token).
        headers.GetProperty("authorization").GetString().ShouldBe("Bearer sandbox");

        using var vscodeRequest = new HttpRequestMessage(HttpMethod.Get, $"/vscode/{fixture.Dashboard.Id}/echo");
        vscodeRequest.Headers.Authorization = new AuthenticationHeaderValue("Bearer", "secret-token");
        using var vscodeResponse = await http.SendAsync(vscodeRequest);
        var vscodeHeaders = JsonDocument.Parse(await vscodeResponse.Content.ReadAsStringAsync()).RootElement.GetProperty("headers");
        vscodeHeaders.TryGetProperty("authorization", out _).ShouldBeFalse();
    }

    [DockerFact]
    public async Task ConnectionListedHeaders_DroppedAsHopByHop()
    {
        using var http = fixture.NewClient();
        using var request = new HttpRequestMessage(HttpMethod.Get, $"/vscode/{fixture.Dashboard.Id}/echo");
        // Not beside "close" or "keep-alive": Kestrel itself rewrites "Connection: close, X-Secret-Hop" to
        // "Connection: close" before the app sees it, so no name survives for the proxy to drop (src/Web/Proxy/README.md).
        request.Headers.Connection.Add("X-Secret-Hop");
        request.Headers.TryAddWithoutValidation("X-Secret-Hop", "for the proxy only");
        request.Headers.TryAddWithoutValidation("X-End-To-End", "kept");

        using var response = await http.SendAsync(request);
        var headers = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("headers");

        headers.TryGetProperty("x-secret-hop", out _).ShouldBeFalse();
        headers.GetProperty("x-end-to-end").GetString().ShouldBe("kept");
    }

    [DockerFact]
    public async Task Cookies_OnlyAppCookies_NoCookieHeaderUpstream()
    {
        using var http = fixture.NewClient();
        using var request = new HttpRequestMessage(HttpMethod.Get, $"/vscode/{fixture.Dashboard.Id}/echo");
        request.Headers.TryAddWithoutValidation("Cookie", "remolt_auth=secret");

        using var response = await http.SendAsync(request);
        var headers = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("headers");

        headers.TryGetProperty("cookie", out _).ShouldBeFalse();
    }

    [DockerFact]
    public async Task SetCookie_EveryValueKept_PathUnderPrefix_AppNamesDropped()
    {
        using var http = fixture.NewClient();

        using var response = await http.GetAsync($"{Dash}/cookies");

        response.Headers.GetValues("Set-Cookie").ShouldBe([
            $"a=1; Path={Dash}/",
            $"b=2; Path={Dash}/sub; HttpOnly",
            $"c=3; Path={Dash}/",
        ]);
        // Values exactly as the upstream sent them: not split on spaces, not rejoined.
        response.Headers.NonValidated["Server"].ShouldBe(["tiny-http (Rust)"]);
        response.Headers.NonValidated["X-Listed"].ShouldBe(["one, two"]);
    }

    [DockerFact]
    public async Task Gzip_PassedThroughByteExact()
    {
        using var http = fixture.NewClient();

        using var response = await http.GetAsync($"/vscode/{fixture.Dashboard.Id}/gzip");
        var bytes = await response.Content.ReadAsByteArrayAsync();

        response.Content.Headers.ContentEncoding.ShouldBe(["gzip"]);
        response.Content.Headers.ContentLength.ShouldBe(bytes.Length);
        Convert.ToHexStringLower(SHA256.HashData(bytes)).ShouldBe(response.Headers.GetValues("X-Body-Sha256").Single());
    }

    [DockerFact]
    public async Task Framing_StrippedOnDashboard_FrameAncestorsOnlyOnVsCode_SandboxCspOnPreview()
    {
        using var http = fixture.NewClient();

        using var dashboard = await http.GetAsync($"{Dash}/frame");
        using var vscode = await http.GetAsync($"/vscode/{fixture.Dashboard.Id}/frame");
        using var preview = await http.GetAsync($"{Dash}/port/5173/frame");

        dashboard.Headers.Contains("X-Frame-Options").ShouldBeFalse();
        dashboard.Headers.Contains("Content-Security-Policy").ShouldBeFalse();
        dashboard.Headers.GetValues("X-Other").ShouldBe(["kept"]);
        vscode.Headers.Contains("X-Frame-Options").ShouldBeFalse();
        vscode.Headers.GetValues("Content-Security-Policy").ShouldBe(["default-src 'self'"]);
        preview.Headers.GetValues("X-Frame-Options").ShouldBe(["DENY"]);
        preview.Headers.GetValues("Content-Security-Policy").ShouldBe([
            "frame-ancestors 'none'; default-src 'self'",
            "sandbox allow-scripts allow-forms allow-popups allow-modals allow-downloads",
        ]);
    }

    [DockerFact]
    public async Task Redirects_ToTheUpstream_PointBackThroughTheProxy()
    {
        using var http = fixture.NewClient();

        using var absolute = await http.GetAsync($"{Dash}/redirect");
        using var rootRelative = await http.GetAsync($"{Dash}/port/5173/redirect-root");

        absolute.StatusCode.ShouldBe(HttpStatusCode.Found);
        absolute.Headers.Location!.OriginalString.ShouldBe($"{Dash}/echo?from=abs");
        rootRelative.Headers.Location!.OriginalString.ShouldBe($"{Dash}/port/5173/echo?from=root");
    }

    [DockerFact]
    public async Task OpenClawHtml_BasePathRewritten_PlainAndGzip()
    {
        using var http = fixture.NewClient();
        foreach (var path in new[] { "openclaw", "openclaw-gzip" })
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, $"{Dash}/{path}");
            request.Headers.Accept.ParseAdd("text/html");
            request.Headers.AcceptEncoding.ParseAdd("gzip");

            using var response = await http.SendAsync(request);
            var body = await response.Content.ReadAsByteArrayAsync();

            Encoding.UTF8.GetString(body).ShouldContain($"__OPENCLAW_CONTROL_UI_BASE_PATH__=\"{Dash}/\"");
            response.Content.Headers.ContentEncoding.ShouldBeEmpty();
            response.Content.Headers.ContentLength.ShouldBe(body.Length);
            response.Headers.GetValues("Set-Cookie").ShouldContain(c => c.StartsWith($"remolt_dashboard={fixture.Dashboard.Id};", StringComparison.Ordinal));
        }
    }

    [DockerFact]
    public async Task ServerSentEvents_FirstEventArrivesBeforeTheResponseEnds()
    {
        using var http = fixture.NewClient();

        using var response = await http.GetAsync($"{Dash}/sse", HttpCompletionOption.ResponseHeadersRead);
        await using var body = await response.Content.ReadAsStreamAsync();
        var buffer = new byte[256];
        var started = DateTime.UtcNow;
        var read = await body.ReadAsync(buffer).AsTask().WaitAsync(TimeSpan.FromSeconds(10));

        Encoding.UTF8.GetString(buffer, 0, read).ShouldBe("data: first\n\n");
        (DateTime.UtcNow - started).ShouldBeLessThan(TimeSpan.FromSeconds(2.5)); // the second event comes after 3 s
    }

    [DockerFact]
    public async Task NothingListening_StartingPageForNavigation_502ForPost()
    {
        using var http = fixture.NewClient();

        using var vscode = await http.GetAsync($"/vscode/{fixture.Plain.Id}/");
        using var preview = await http.GetAsync($"{Dash}/port/5999/");
        using var post = await http.PostAsync($"/vscode/{fixture.Plain.Id}/x", new StringContent("{}"));

        // The test image has no code-server: the tab says so instead of waiting for ever.
        vscode.StatusCode.ShouldBe(HttpStatusCode.OK);
        vscode.Content.Headers.ContentType!.MediaType.ShouldBe("text/html");
        var notInstalled = await vscode.Content.ReadAsStringAsync();
        notInstalled.ShouldContain("VS Code is not installed in this sandbox");
        notInstalled.ShouldNotContain("http-equiv=\"refresh\"");
        (await preview.Content.ReadAsStringAsync()).ShouldContain("Waiting for port 5999...");
        post.StatusCode.ShouldBe(HttpStatusCode.NotImplemented);
        (await post.Content.ReadAsStringAsync()).ShouldStartWith("{\"detail\":");

        // Installed but not listening yet: the starting page, reloading.
        await ShellAsync("mkdir -p ~/.local/bin && printf '#!/bin/sh\\nexit 0\\n' > ~/.local/bin/code-server && chmod +x ~/.local/bin/code-server");
        try
        {
            using var starting = await http.GetAsync($"/vscode/{fixture.Plain.Id}/");
            using var startingPost = await http.PostAsync($"/vscode/{fixture.Plain.Id}/x", new StringContent("{}"));
            var html = await starting.Content.ReadAsStringAsync();
            html.ShouldContain("Starting VS Code...");
            html.ShouldContain("<meta http-equiv=\"refresh\" content=\"3\">");
            startingPost.StatusCode.ShouldBe(HttpStatusCode.BadGateway);
        }
        finally
        {
            await ShellAsync("rm -f ~/.local/bin/code-server");
        }
    }

    private async Task ShellAsync(string script)
    {
        var result = await fixture.App.Runtime.ExecAsync(fixture.Plain.SandboxId!, ["bash", "-lc", script], ReadOnlyMemory<byte>.Empty, CancellationToken.None);
        result.ExitCode.ShouldBe(0, System.Text.Encoding.UTF8.GetString(result.Stderr));
    }

    [DockerFact]
    public async Task Refusals_HaveTheApiShape()
    {
        using var http = fixture.NewClient();

        await ShouldRefuseAsync(http, "/proxy/nosuchsession/", HttpStatusCode.NotFound, "Session not found");
        await ShouldRefuseAsync(http, $"/proxy/{fixture.Plain.Id}/", HttpStatusCode.BadRequest, "This agent has no web UI");
        await ShouldRefuseAsync(http, $"{Dash}/port/80/", HttpStatusCode.BadRequest, "Port 80 is not open for preview (allowed: 1024-65535)");
        await ShouldRefuseAsync(http, $"{Dash}/port/abc/", HttpStatusCode.BadRequest, "Invalid port: abc (a number from 1 to 65535)");
    }

    [DockerFact]
    public async Task NoTrailingSlash_RedirectsToThePrefix()
    {
        using var http = fixture.NewClient();

        using var response = await http.GetAsync($"/vscode/{fixture.Dashboard.Id}?folder=/home/dev");

        response.StatusCode.ShouldBe(HttpStatusCode.PermanentRedirect);
        response.Headers.Location!.OriginalString.ShouldBe($"/vscode/{fixture.Dashboard.Id}/?folder=/home/dev");
    }

    internal static async Task ShouldRefuseAsync(HttpClient http, string path, HttpStatusCode status, string detail)
    {
        using var response = await http.GetAsync(path);
        response.StatusCode.ShouldBe(status, path);
        JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("detail").GetString().ShouldBe(detail);
    }

    private static async Task<JsonElement> GetJsonAsync(HttpClient http, string path)
    {
        using var response = await http.GetAsync(path);
        var text = await response.Content.ReadAsStringAsync();
        response.StatusCode.ShouldBe(HttpStatusCode.OK, text);
        return JsonDocument.Parse(text).RootElement.Clone();
    }

    /// <summary>Hides the length, so HttpClient streams the body chunked.</summary>
    private sealed class NonSeekableStream(byte[] data) : MemoryStream(data)
    {
        public override bool CanSeek => false;
    }
}
