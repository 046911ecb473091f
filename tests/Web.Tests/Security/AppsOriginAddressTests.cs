using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.Options;
using RemoltBlazor.Web.Proxy;

namespace RemoltBlazor.Web.Tests.Security;

/// <summary>Which addresses the apps origin adds to the server's, and when it counts as listening.</summary>
public sealed class AppsOriginAddressTests
{
    [Theory]
    [InlineData("", new[] { "http://localhost:5000" }, new[] { "http://localhost:5001", "http://localhost:5000" })]
    [InlineData("", new string[0], new[] { "http://localhost:5001", "http://localhost:5000" })] // Kestrel's default, named
    [InlineData("7000", new[] { "http://0.0.0.0:8080", "https://0.0.0.0:8443" }, new[] { "http://0.0.0.0:7000", "https://0.0.0.0:7000", "http://0.0.0.0:8080", "https://0.0.0.0:8443" })]
    [InlineData("", new[] { "http://127.0.0.1:0" }, new[] { "http://127.0.0.1:0", "http://127.0.0.1:0" })] // a test host's dynamic port
    [InlineData("off", new[] { "http://localhost:5000" }, new[] { "http://localhost:5000" })]
    public void AddListenAddresses_PortMode_AppsFirstOnePort(string setting, string[] configured, string[] expected)
    {
        var feature = Feature(configured);

        Apps(setting).AddListenAddresses(feature);

        feature.Addresses.ShouldBe(expected);
    }

    [Fact]
    public void AddListenAddresses_WildcardHost_AddsNothing()
    {
        var feature = Feature(["http://localhost:5000"]);

        Apps("", "*.apps.example.com").AddListenAddresses(feature);

        feature.Addresses.ShouldBe(["http://localhost:5000"]);
    }

    [Fact]
    public void IsListening_KestrelBoundItsOwnEndpointsInstead_False()
    {
        var feature = Feature(["http://localhost:5000"]);
        var apps = Apps("");
        apps.AddListenAddresses(feature);

        // What Kestrel leaves in the feature when Kestrel:Endpoints replaced the addresses.
        feature.Addresses.Clear();
        feature.Addresses.Add("http://127.0.0.1:8080");

        apps.IsListening.ShouldBeFalse();
    }

    [Fact]
    public void IsListening_DynamicPortsBound_True()
    {
        var feature = Feature(["http://127.0.0.1:0"]);
        var apps = Apps("");
        apps.AddListenAddresses(feature);

        feature.Addresses.Clear();
        feature.Addresses.Add("http://127.0.0.1:41001");
        feature.Addresses.Add("http://127.0.0.1:41000");

        apps.IsListening.ShouldBeTrue();
    }

    private static ServerAddressesFeature Feature(string[] addresses)
    {
        var feature = new ServerAddressesFeature();
        foreach (var address in addresses)
        {
            feature.Addresses.Add(address);
        }

        return feature;
    }

    private static AppsOrigin Apps(string port, string host = "") =>
        new(Options.Create(new ProxyOptions { AppsPort = port, AppsHost = host }));
}
