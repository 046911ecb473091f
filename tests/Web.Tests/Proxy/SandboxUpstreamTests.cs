using RemoltBlazor.Web.Proxy;

namespace RemoltBlazor.Web.Tests.Proxy;

public sealed class SandboxUpstreamTests
{
    [Theory]
    [InlineData("remolt-x9iimtlgmo0vit2l9dcda8ajwt2l42or")]
    [InlineData("Remolt_Mixed.Case-ID")]
    [InlineData("ünïcode-sandbox")]
    [InlineData("a-sandbox-id-of-one-hundred-characters-0123456789-0123456789-0123456789-0123456789-0123456789-01")]
    public void Address_AnySandboxId_HostNamesItAndNothingElse(string sandboxId)
    {
        using var upstream = new SandboxUpstream(new RemoltBlazor.TestSupport.FakeSandboxRuntime(), Microsoft.Extensions.Options.Options.Create(new ProxyOptions()));

        var address = upstream.Address(sandboxId, 18080, "/a/b?c=d");

        address.Host.Split('.').ShouldAllBe(label => label.Length <= 63 && label.All(char.IsAsciiLetterOrDigit));
        SandboxUpstream.SandboxIdOf(address.Host).ShouldBe(sandboxId);
        SandboxUpstream.SandboxIdOf(address.Host.ToUpperInvariant()).ShouldBe(sandboxId, "host names are case-insensitive");
        address.Port.ShouldBe(18080);
        address.PathAndQuery.ShouldBe("/a/b?c=d");
    }

    [Theory]
    [InlineData("localhost")]
    [InlineData("example.com")]
    [InlineData("abc.sandbox")]
    [InlineData("zz.sandbox")]
    [InlineData(".sandbox")]
    public void SandboxIdOf_HostTheAppDidNotMake_Null(string host)
    {
        SandboxUpstream.SandboxIdOf(host).ShouldBeNull();
    }

    [Fact]
    public void KeyOf_IdTooLongForAHostName_Refused()
    {
        Should.Throw<ArgumentException>(() => SandboxUpstream.KeyOf(new string('a', 101)));
    }
}
