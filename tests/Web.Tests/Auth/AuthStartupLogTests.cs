using RemoltBlazor.Web.Auth;

namespace RemoltBlazor.Web.Tests.Auth;

public sealed class AuthStartupLogTests
{
    [Theory]
    [InlineData("http://+:8080")]
    [InlineData("http://0.0.0.0:8080")]
    [InlineData("http://[::]:8080")]
    public void Reachable_WildcardInAContainer_NamesLocalhost(string address) =>
        AuthStartupLog.Reachable(address, inContainer: true).ShouldBe("http://localhost:8080");

    [Fact]
    public void Reachable_WildcardOnAHost_NamesTheMachine() =>
        AuthStartupLog.Reachable("http://+:8080", inContainer: false).ShouldBe($"http://{Environment.MachineName}:8080");

    [Fact]
    public void Reachable_NamedHost_KeptAsItIs() =>
        AuthStartupLog.Reachable("http://remolt.example:9000", inContainer: true).ShouldBe("http://remolt.example:9000");
}
