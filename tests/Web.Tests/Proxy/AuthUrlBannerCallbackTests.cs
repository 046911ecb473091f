using RemoltBlazor.Web.Components.Controls;

namespace RemoltBlazor.Web.Tests.Proxy;

public sealed class AuthUrlBannerCallbackTests
{
    [Theory]
    [InlineData("https://auth.openai.com/oauth/authorize?client_id=a&redirect_uri=http%3A%2F%2Flocalhost%3A1455%2Fauth%2Fcallback&state=s", 1455)]
    [InlineData("https://x.example/authorize?redirect_uri=http://127.0.0.1:8085/cb", 8085)]
    [InlineData("https://x.example/authorize?redirect_uri=http%3A%2F%2Flocalhost%2Fcb", 80)]
    [InlineData("https://claude.ai/oauth/authorize?redirect_uri=https%3A%2F%2Fconsole.anthropic.com%2Fcallback", null)]
    [InlineData("https://x.example/authorize?redirect_uri=https%3A%2F%2Flocalhost%3A1455%2F", null)]
    [InlineData("https://x.example/authorize?client_id=a", null)]
    [InlineData("not a url", null)]
    public void LocalRedirectPort_OnlyForPlainHttpLoopback(string url, int? expected)
    {
        AuthUrlBannerCallback.LocalRedirectPort(url).ShouldBe(expected);
    }

    [Theory]
    [InlineData(" http://localhost:1455/auth/callback?code=a%2Fb&state=s ", "/proxy/sid/port/1455/auth/callback?code=a%2Fb&state=s", null)]
    [InlineData("http://127.0.0.1:1455/success", "/proxy/sid/port/1455/success", null)]
    [InlineData("http://localhost:3000/auth/callback", null, "That address is on port 3000; the sign-in returns to port 1455.")]
    [InlineData("https://evil.example/auth/callback", null, "Paste the whole address, starting with http://localhost:1455/")]
    [InlineData("code=abc", null, "Paste the whole address, starting with http://localhost:1455/")]
    [InlineData("", null, null)]
    public void ProxyPath_LoopbackAddressOnThePort(string pasted, string? expected, string? error)
    {
        AuthUrlBannerCallback.ProxyPath("sid", 1455, pasted, out var reason).ShouldBe(expected);
        reason.ShouldBe(error);
    }
}
