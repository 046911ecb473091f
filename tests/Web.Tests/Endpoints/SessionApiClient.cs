using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using RemoltBlazor.TestSupport;
using RemoltBlazor.Web.Tests.Hosting;

namespace RemoltBlazor.Web.Tests.Endpoints;

/// <summary>The app with a fake runtime and the JSON helpers the API tests share.</summary>
internal static class SessionApiClient
{
    public static readonly TimeSpan ApiTimeout = TimeSpan.FromSeconds(30);

    public static RemoltAppFactory App(out FakeSandboxRuntime runtime, Dictionary<string, string?>? settings = null)
    {
        runtime = new FakeSandboxRuntime();
        return new RemoltAppFactory(settings, runtime);
    }

    public static HttpClient Client(RemoltAppFactory app) => new() { BaseAddress = app.BaseAddress, Timeout = ApiTimeout };

    public static Task<HttpResponseMessage> PostJsonAsync(HttpClient client, string path, string json) =>
        client.PostAsync(path, new StringContent(json, Encoding.UTF8, "application/json")).WaitAsync(ApiTimeout);

    public static async Task<string> CreateAsync(HttpClient client, string agent)
    {
        using var response = await PostJsonAsync(client, "/api/sessions", JsonSerializer.Serialize(new { agent_type = agent }));
        response.StatusCode.ShouldBe(HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
        return (await JsonAsync(response)).GetProperty("session_id").GetString()!;
    }

    public static async Task<JsonElement> JsonAsync(HttpResponseMessage response) =>
        (await response.Content.ReadFromJsonAsync<JsonElement>().WaitAsync(ApiTimeout)).Clone();

    public static async Task<string> DetailAsync(HttpResponseMessage response)
    {
        var body = await JsonAsync(response);
        Names(body).ShouldBe(["detail"]);
        body.GetProperty("detail").ValueKind.ShouldBe(JsonValueKind.String);
        return body.GetProperty("detail").GetString()!;
    }

    public static async Task ShouldBeErrorAsync(HttpResponseMessage response, HttpStatusCode status, string detail)
    {
        response.StatusCode.ShouldBe(status);
        response.Content.Headers.ContentType?.MediaType.ShouldBe("application/json");
        (await DetailAsync(response)).ShouldBe(detail);
    }

    public static string[] Names(JsonElement element) => [.. element.EnumerateObject().Select(p => p.Name)];
}
