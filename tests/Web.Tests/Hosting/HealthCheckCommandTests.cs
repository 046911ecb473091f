using System.Net;
using System.Net.Sockets;
using System.Text;
using RemoltBlazor.Web.Hosting;

namespace RemoltBlazor.Web.Tests.Hosting;

public sealed class HealthCheckCommandTests
{
    [Theory]
    [InlineData(null, null, "http://127.0.0.1:8080/health")]
    [InlineData("http://+:8080", null, "http://127.0.0.1:8080/health")]
    [InlineData("http://0.0.0.0:9000;https://+:9443", null, "http://127.0.0.1:9000/health")]
    [InlineData("https://+:9443;http://localhost:5000", null, "http://localhost:5000/health")]
    [InlineData("http://[::]:7000", null, "http://127.0.0.1:7000/health")]
    [InlineData(null, "5001;5002", "http://127.0.0.1:5001/health")]
    [InlineData("", "", "http://127.0.0.1:8080/health")]
    public void DefaultUrl_FirstHttpAddress_WildcardsAsLoopback(string? urls, string? ports, string expected) =>
        HealthCheckCommand.DefaultUrl(urls, ports).ShouldBe(expected);

    [Fact]
    public void Matches_OnlyTheVerbFirst()
    {
        HealthCheckCommand.Matches(["healthcheck"]).ShouldBeTrue();
        HealthCheckCommand.Matches(["healthcheck", "http://127.0.0.1:1/health"]).ShouldBeTrue();
        HealthCheckCommand.Matches([]).ShouldBeFalse();
        HealthCheckCommand.Matches(["--urls", "healthcheck"]).ShouldBeFalse();
    }

    [Theory]
    [InlineData("200 OK", 0, "healthy: GET")]
    [InlineData("503 Service Unavailable", 1, "unhealthy: GET")]
    public async Task RunAsync_ExitCodeFollowsTheStatus(string status, int exit, string said)
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        var answer = AnswerOnceAsync(listener, $"HTTP/1.1 {status}\r\nContent-Length: 0\r\nConnection: close\r\n\r\n");
        var output = new StringWriter();

        (await HealthCheckCommand.RunAsync(["healthcheck", $"http://127.0.0.1:{port}/health"], output).WaitAsync(TimeSpan.FromSeconds(10))).ShouldBe(exit);
        output.ToString().ShouldStartWith(said);
        (await answer.WaitAsync(TimeSpan.FromSeconds(5))).ShouldStartWith("GET /health HTTP/1.1");
    }

    [Fact]
    public async Task RunAsync_NothingListening_Exit1()
    {
        int port;
        using (var probe = new TcpListener(IPAddress.Loopback, 0))
        {
            probe.Start();
            port = ((IPEndPoint)probe.LocalEndpoint).Port;
        }

        var output = new StringWriter();
        (await HealthCheckCommand.RunAsync(["healthcheck", $"http://127.0.0.1:{port}/health"], output).WaitAsync(TimeSpan.FromSeconds(10))).ShouldBe(1);
        output.ToString().ShouldStartWith($"unhealthy: GET http://127.0.0.1:{port}/health failed");
    }

    [Fact]
    public async Task RunAsync_NoAnswerWithinTheTimeout_Exit1()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start(); // accepts the connection (backlog) and never answers
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        var output = new StringWriter();

        (await HealthCheckCommand.RunAsync(["healthcheck", $"http://127.0.0.1:{port}/health"], output).WaitAsync(TimeSpan.FromSeconds(10))).ShouldBe(1);
        output.ToString().ShouldContain("no answer within 3 s");
    }

    private static async Task<string> AnswerOnceAsync(TcpListener listener, string response)
    {
        using var client = await listener.AcceptTcpClientAsync();
        var stream = client.GetStream();
        var buffer = new byte[4096];
        var read = await stream.ReadAsync(buffer);
        await stream.WriteAsync(Encoding.ASCII.GetBytes(response));
        return Encoding.ASCII.GetString(buffer, 0, read);
    }
}
