using System.Net;
using System.Text.Json;
using Microsoft.Playwright;
using RemoltBlazor.TestSupport;
using RemoltBlazor.Web.Tests.Browser;
using RemoltBlazor.Web.Tests.Hosting;
using static RemoltBlazor.Web.Tests.Endpoints.SessionApiClient;

namespace RemoltBlazor.Web.Tests.Operations;

/// <summary>The OpenAPI document at <c>/openapi/v1.json</c> and Swagger UI at <c>/api/docs</c>, both open without sign-in.</summary>
public sealed class ApiDocsTests(ChromiumBrowser chromium) : IClassFixture<ChromiumBrowser>
{
    [Fact]
    public async Task Document_Parses_ListsTheRestApiInSnakeCaseAndNothingElse()
    {
        // Sign-in on (a GitHub provider configured): the document is still open.
        await using var app = new RemoltAppFactory(SignInOn, new FakeSandboxRuntime());
        using var client = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false }) { BaseAddress = app.BaseAddress, Timeout = ApiTimeout };

        using var response = await client.GetAsync("/openapi/v1.json").WaitAsync(ApiTimeout);

        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        using var document = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        var root = document.RootElement;
        root.GetProperty("openapi").GetString()!.ShouldStartWith("3.");
        var paths = root.GetProperty("paths");
        Methods(paths, "/api/sessions").ShouldBe(["get", "post"], ignoreOrder: true);
        Methods(paths, "/api/sessions/{id}").ShouldBe(["delete", "get"], ignoreOrder: true);
        Methods(paths, "/health/ready").ShouldBe(["get"]);
        paths.GetProperty("/api/sessions").GetProperty("post").GetProperty("summary").GetString().ShouldNotBeNullOrEmpty();
        paths.GetProperty("/api/sessions").GetProperty("post").GetProperty("tags")[0].GetString().ShouldBe("Sessions");

        // Pages, sockets, proxies and the scrape are not REST.
        var names = paths.EnumerateObject().Select(p => p.Name).ToList();
        names.ShouldAllBe(p => p.StartsWith("/api/", StringComparison.Ordinal) || p.StartsWith("/health", StringComparison.Ordinal) || p.StartsWith("/auth/", StringComparison.Ordinal));
        names.ShouldNotContain("/metrics");

        // The wire names, as the API really answers.
        var session = root.GetProperty("components").GetProperty("schemas").GetProperty("SessionResponse").GetProperty("properties");
        session.EnumerateObject().Select(p => p.Name).ShouldContain("session_id");
        session.EnumerateObject().Select(p => p.Name).ShouldContain("ws_url");
    }

    [Fact]
    public async Task Ui_SignInOn_ServesSwaggerUiWithoutSignIn()
    {
        await using var app = new RemoltAppFactory(SignInOn, new FakeSandboxRuntime());
        using var client = new HttpClient(new HttpClientHandler { AllowAutoRedirect = true }) { BaseAddress = app.BaseAddress, Timeout = ApiTimeout };

        using var response = await client.GetAsync("/api/docs").WaitAsync(ApiTimeout);

        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        response.RequestMessage!.RequestUri!.AbsolutePath.ShouldBe("/api/docs/index.html");
        using var api = await client.GetAsync("/api/sessions").WaitAsync(ApiTimeout);
        api.StatusCode.ShouldBe(HttpStatusCode.Unauthorized, "sign-in is on: the API itself is closed");
        var html = await response.Content.ReadAsStringAsync();
        html.ShouldContain("swagger-ui");
    }

    [BrowserFact]
    public async Task Ui_InChromium_LoadsOnlyFromTheAppAndTriesGetAgents()
    {
        await using var app = new RemoltAppFactory(runtime: new FakeSandboxRuntime());
        var pages = await BrowserPages.OpenAsync(chromium.Browser, app.BaseAddress, BrowserPages.Desktop);
        var page = pages.Page;
        var requested = new List<string>();
        page.Request += (_, request) =>
        {
            lock (requested)
            {
                requested.Add(request.Url);
            }
        };

        await page.GotoAsync("/api/docs");
        var operation = page.Locator("#operations-Agents-get_api_agents");
        await operation.Locator(".opblock-summary").ClickAsync();
        await operation.GetByRole(AriaRole.Button, new() { Name = "Try it out" }).ClickAsync();
        await operation.GetByRole(AriaRole.Button, new() { Name = "Execute" }).ClickAsync();
        var status = operation.Locator(".live-responses-table tr.response .response-col_status").First;
        await status.WaitForAsync();
        (await status.InnerTextAsync()).Trim().ShouldBe("200");
        (await operation.Locator(".live-responses-table .microlight").First.InnerTextAsync()).ShouldContain("\"claude-code\"");
        await Screenshots.SaveAsync(page, "api-docs");

        pages.Errors.ShouldBeEmpty();
        var origin = app.BaseAddress.GetLeftPart(UriPartial.Authority);
        lock (requested)
        {
            requested.ShouldNotBeEmpty();
            requested.ShouldAllBe(url => url.StartsWith(origin, StringComparison.Ordinal) || url.StartsWith("data:", StringComparison.Ordinal));
        }
    }

    private static Dictionary<string, string?> SignInOn => new()
    {
        ["GITHUB_CLIENT_ID"] = "test-client",
        ["GITHUB_CLIENT_SECRET"] = "test-secret",
    };

    private static string[] Methods(JsonElement paths, string path) => [.. paths.GetProperty(path).EnumerateObject().Select(m => m.Name)];
}
