using System.Text.Json;
using RemoltBlazor.TestSupport;
using RemoltBlazor.Web.Tests.Hosting;

namespace RemoltBlazor.Web.Tests.Operations;

/// <summary><c>REMOLT_LOG_FORMAT</c>: JSON lines for collectors, a clear refusal of anything unknown.</summary>
public sealed class LogFormatTests
{
    [Fact]
    public async Task Json_RealProcess_EveryLineIsAJsonObjectWithAUtcTimestamp()
    {
        var data = TestDataFolder.Create("remolt-log-tests");
        try
        {
            await using var app = await AppProcess.StartAsync(data, new Dictionary<string, string>
            {
                ["REMOLT_LOG_FORMAT"] = "json",
                ["Logging__LogLevel__Default"] = "Information",
                ["REMOLT_EVENTS_STDOUT"] = "false",
            });
            await app.StopAsync();

            var lines = app.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
            lines.ShouldNotBeEmpty();
            var logs = lines.Select(line => Should.NotThrow(() => JsonDocument.Parse(line), $"not JSON: {line}").RootElement).ToList();
            logs.ShouldAllBe(l => l.ValueKind == JsonValueKind.Object);
            logs.ShouldContain(l => l.GetProperty("Category").GetString() == "Microsoft.Hosting.Lifetime");
            foreach (var log in logs)
            {
                log.GetProperty("LogLevel").GetString().ShouldNotBeNullOrEmpty();
                var timestamp = log.GetProperty("Timestamp").GetString()!;
                timestamp.ShouldEndWith("Z");
                DateTimeOffset.Parse(timestamp, System.Globalization.CultureInfo.InvariantCulture).Offset.ShouldBe(TimeSpan.Zero);
            }
        }
        finally
        {
            TestDataFolder.Delete(data);
        }
    }

    [Fact]
    public async Task Unknown_RealProcess_ExitsNamingTheAllowedValues()
    {
        var data = TestDataFolder.Create("remolt-log-tests");
        try
        {
            var (exitCode, output) = await AppProcess.RunToExitAsync(data, new Dictionary<string, string>
            {
                ["ASPNETCORE_URLS"] = "http://127.0.0.1:0",
                ["REMOLT_LOG_FORMAT"] = "xml",
            });

            exitCode.ShouldNotBe(0);
            output.ShouldContain("REMOLT_LOG_FORMAT must be 'json' or 'simple' (or unset for simple); it is 'xml'.");
        }
        finally
        {
            TestDataFolder.Delete(data);
        }
    }
}
