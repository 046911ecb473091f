using Microsoft.AspNetCore.Http;
using RemoltBlazor.Web.Hosting;

namespace RemoltBlazor.Web.Tests.Security;

/// <summary>Which Host headers the app answers to (REMOLT_ALLOWED_HOSTS).</summary>
public sealed class HostAllowListTests
{
    [Theory]
    [InlineData("", "localhost:5000", true)]
    [InlineData("", "LOCALHOST", true)]
    [InlineData("", "127.0.0.1:41234", true)]
    [InlineData("", "[::1]:5000", true)]
    [InlineData("", "evil.example:5400", false)]
    [InlineData("", "localhost.evil.example", false)]
    [InlineData("", "127.0.0.1.nip.io:5000", false)]
    [InlineData("", "", false)]
    [InlineData("remolt.example.com", "remolt.example.com:443", true)]
    [InlineData("remolt.example.com", "localhost:5000", false)]
    [InlineData("remolt.example.com:8443", "remolt.example.com:443", false)]
    [InlineData("remolt.example.com:8443", "remolt.example.com:8443", true)]
    [InlineData("*.apps.example.com", "abc.apps.example.com", true)]
    [InlineData("*.apps.example.com", "apps.example.com", false)]
    [InlineData("*.apps.example.com", "xapps.example.com", false)]
    [InlineData(" a.example , b.example ", "b.example", true)]
    public void IsAllowed_ConfiguredList_MatchesNamesPortsAndWildcards(string configured, string host, bool expected)
    {
        new HostAllowList(configured).IsAllowed(new HostString(host)).ShouldBe(expected);
    }
}
