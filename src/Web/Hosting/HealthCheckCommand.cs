using Microsoft.AspNetCore.Http;

namespace RemoltBlazor.Web.Hosting;

/// <summary>
/// <c>RemoltBlazor.Web healthcheck [URL]</c>: the server image's HEALTHCHECK (the image has no curl). One GET of
/// <c>/health</c> on this server's own port with a 3 s timeout; exit 0 when it answers 2xx, else 1. It runs at the
/// very top of Program.cs, before the host is built: no configuration, database or services, because Docker runs it
/// every 30 s for as long as the server lives.
/// </summary>
public static class HealthCheckCommand
{
    public const string Verb = "healthcheck";

    public static readonly TimeSpan Timeout = TimeSpan.FromSeconds(3);

    public static bool Matches(string[] args) => args is [Verb, ..];

    public static async Task<int> RunAsync(string[] args, TextWriter output)
    {
        var url = args.Length > 1
            ? args[1]
            : DefaultUrl(Environment.GetEnvironmentVariable("ASPNETCORE_URLS"), Environment.GetEnvironmentVariable("ASPNETCORE_HTTP_PORTS"));
        using var client = new HttpClient { Timeout = Timeout };
        try
        {
            using var response = await client.GetAsync(url, HttpCompletionOption.ResponseHeadersRead);
            var healthy = response.IsSuccessStatusCode;
            await output.WriteLineAsync($"{(healthy ? "healthy" : "unhealthy")}: GET {url} answered {(int)response.StatusCode}");
            return healthy ? 0 : 1;
        }
        catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException)
        {
            await output.WriteLineAsync($"unhealthy: GET {url} failed: {(ex is TaskCanceledException ? $"no answer within {Timeout.TotalSeconds:0} s" : ex.Message)}");
            return 1;
        }
    }

    /// <summary>
    /// <c>/health</c> on the first http address the server listens on (a wildcard host becomes 127.0.0.1), else on
    /// <c>ASPNETCORE_HTTP_PORTS</c>' first port, else on 8080 (the image's port).
    /// </summary>
    public static string DefaultUrl(string? urls, string? httpPorts)
    {
        foreach (var candidate in (urls ?? "").Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            if (!candidate.StartsWith("http://", StringComparison.OrdinalIgnoreCase))
            {
                continue;
            }

            var binding = BindingAddress.Parse(candidate);
            var host = binding.Host is "0.0.0.0" or "+" or "*" or "[::]" or "::" ? "127.0.0.1" : binding.Host;
            return $"http://{host}:{binding.Port}{binding.PathBase}/health";
        }

        var port = (httpPorts ?? "").Split([';', ','], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).FirstOrDefault();
        return $"http://127.0.0.1:{(int.TryParse(port, out var p) ? p : 8080)}/health";
    }
}
