using RemoltBlazor.TestSupport;
using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using RemoltBlazor.Web.Tests.Hosting;

namespace RemoltBlazor.Web.Tests.Endpoints;

/// <summary>Non-404 API errors say what failed, in the original's {"detail": ...} shape.</summary>
public sealed class ApiErrorShapeTests
{
    private static readonly TimeSpan s_timeout = TimeSpan.FromSeconds(30);

    [Theory]
    [InlineData("POST", "/api/sessions", "text/plain", "Unsupported Media Type")]
    [InlineData("PUT", "/api/sessions", null, "Method Not Allowed")]
    public async Task ApiStatusCodePage_Non404_DetailSaysWhatFailed(string method, string path, string? contentType, string expected)
    {
        await using var app = new RemoltAppFactory(null, new FakeSandboxRuntime());
        using var client = new HttpClient { BaseAddress = app.BaseAddress, Timeout = s_timeout };
        using var request = new HttpRequestMessage(new HttpMethod(method), path);
        if (contentType is not null)
        {
            request.Content = new StringContent("{}", Encoding.UTF8, contentType);
        }

        using var response = await client.SendAsync(request).WaitAsync(s_timeout);

        var body = await response.Content.ReadFromJsonAsync<JsonElement>().WaitAsync(s_timeout);
        body.GetProperty("detail").GetString().ShouldBe(expected);
    }
}
