using RemoltBlazor.Web.Tests.Controls;

namespace RemoltBlazor.Web.Tests.Proxy;

/// <summary>terminal.js's previewUrl in Chromium: which terminal links go through the port preview.</summary>
public sealed class TerminalLinkTests(TerminalJsFixture fixture) : IClassFixture<TerminalJsFixture>
{
    [ChromiumTheory]
    [InlineData("http://localhost:3000/a/b?c=1&c=2#top", "/proxy/sid/port/3000/a/b?c=1&c=2#top")]
    [InlineData("http://127.0.0.1:5173", "/proxy/sid/port/5173/")]
    [InlineData("http://0.0.0.0:8000/", "/proxy/sid/port/8000/")]
    [InlineData("http://LOCALHOST:8080?x=1", "/proxy/sid/port/8080/?x=1")]
    [InlineData("http://localhost/", "/proxy/sid/port/80/")]
    [InlineData("https://localhost:3000/", "https://localhost:3000/")]
    [InlineData("http://localhost.evil.example:3000/", "http://localhost.evil.example:3000/")]
    [InlineData("http://localhost:3000@evil.example/", "http://localhost:3000@evil.example/")]
    [InlineData("http://localhost:99999/", "http://localhost:99999/")]
    [InlineData("https://github.com/login/device", "https://github.com/login/device")]
    public async Task PreviewUrl_LoopbackHttpLinksOnly(string link, string expected)
    {
        var page = await fixture.OpenPageAsync();
        try
        {
            var url = await page.EvaluateAsync<string>("async ([link]) => (await import('/js/terminal.js')).previewUrl(link, 'sid')", new object[] { link });

            url.ShouldBe(expected);
        }
        finally
        {
            await page.CloseAsync();
        }
    }
}
