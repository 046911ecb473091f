using System.Collections.Concurrent;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace RemoltBlazor.Web.Tests.Fakes;

/// <summary>
/// A local stand-in for GitHub's OAuth and REST endpoints on 127.0.0.1: an authorize page that sends the browser
/// straight back with a code (or a denial), the token exchange, <c>/user</c>, <c>/user/emails</c> and org membership.
/// Its <see cref="Behaviour"/> makes it fail the ways a real provider can.
/// </summary>
public sealed class FakeGitHub : IAsyncDisposable
{
    public const string ClientId = "fake-client-id";
    public const string ClientSecret = "fake-client-secret";
    public const string AccessToken = "gho_FAKE-ACCESS-TOKEN-never-in-plaintext";

    private readonly WebApplication _app;
    private readonly ConcurrentDictionary<string, bool> _codes = new();

    private FakeGitHub(WebApplication app) => _app = app;

    public FakeGitHubBehaviour Behaviour { get; set; } = FakeGitHubBehaviour.Normal;

    public string Login { get; set; } = "octocat";

    /// <summary>The profile's email; null makes the app ask /user/emails.</summary>
    public string? ProfileEmail { get; set; }

    public string PrimaryEmail { get; set; } = "octocat@example.com";

    /// <summary>Organisations <see cref="Login"/> is a member of.</summary>
    public HashSet<string> Orgs { get; } = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>The scope of the last authorize request.</summary>
    public string? LastScope { get; private set; }

    public string BaseUrl { get; private set; } = "";

    /// <summary>The app settings that point GitHub sign-in here.</summary>
    public Dictionary<string, string?> Settings => new()
    {
        ["GITHUB_CLIENT_ID"] = ClientId,
        ["GITHUB_CLIENT_SECRET"] = ClientSecret,
        ["REMOLT_GITHUB_AUTHORIZE_URL"] = BaseUrl + "/login/oauth/authorize",
        ["REMOLT_GITHUB_TOKEN_URL"] = BaseUrl + "/login/oauth/access_token",
        ["REMOLT_GITHUB_API_URL"] = BaseUrl + "/api",
    };

    public static async Task<FakeGitHub> StartAsync()
    {
        FakeGitHub? fake = null;
        var (_, baseUrl) = await LocalHttpServer.StartAsync(web => (fake = new FakeGitHub(web)).Map(web));
        fake!.BaseUrl = baseUrl;
        return fake;
    }

    private void Map(WebApplication app)
    {
        app.MapGet("/login/oauth/authorize", (HttpContext http) =>
        {
            var query = http.Request.Query;
            LastScope = query["scope"];
            var back = query["redirect_uri"].ToString();
            var state = Uri.EscapeDataString(query["state"].ToString());
            if (query["client_id"] != ClientId)
            {
                return Results.BadRequest("unknown client");
            }

            if (Behaviour == FakeGitHubBehaviour.Deny)
            {
                return Results.Redirect($"{back}?error=access_denied&error_description=The+user+has+denied+your+application+access.&state={state}");
            }

            var code = Guid.NewGuid().ToString("N");
            _codes[code] = true;
            return Results.Redirect($"{back}?code={code}&state={state}");
        });

        app.MapPost("/login/oauth/access_token", async (HttpContext http) =>
        {
            var form = await http.Request.ReadFormAsync();
            switch (Behaviour)
            {
                case FakeGitHubBehaviour.TokenServerError:
                    return Results.StatusCode(500);
                case FakeGitHubBehaviour.TokenGarbage:
                    return Results.Text("<html>not json at all", "text/html");
            }

            var valid = form["client_id"] == ClientId && form["client_secret"] == ClientSecret && _codes.TryRemove(form["code"].ToString(), out _);
            return valid
                ? Results.Json(new Dictionary<string, string> { ["access_token"] = AccessToken, ["token_type"] = "bearer", ["scope"] = LastScope ?? "" })
                : Results.Json(new Dictionary<string, string> { ["error"] = "bad_verification_code", ["error_description"] = "The code passed is incorrect or expired." });
        });

        app.MapGet("/api/user", (HttpContext http) => !Authorized(http) ? Results.StatusCode(401) : Behaviour switch
        {
            FakeGitHubBehaviour.UserServerError => Results.StatusCode(500),
            FakeGitHubBehaviour.UserGarbage => Results.Text("{\"message\": [1, 2", "application/json"),
            _ => Results.Json(new Dictionary<string, object?> { ["login"] = Login, ["id"] = 1, ["name"] = "The Octocat", ["email"] = ProfileEmail }),
        });

        app.MapGet("/api/user/emails", (HttpContext http) => !Authorized(http) ? Results.StatusCode(401) : Results.Json(new object[]
        {
            new Dictionary<string, object> { ["email"] = "secondary@example.com", ["primary"] = false, ["verified"] = true },
            new Dictionary<string, object> { ["email"] = PrimaryEmail, ["primary"] = true, ["verified"] = true },
        }));

        app.MapGet("/api/orgs/{org}/members/{login}", (HttpContext http, string org, string login) =>
            Authorized(http) && login == Login && Orgs.Contains(org) ? Results.NoContent() : Results.NotFound());
    }

    private static bool Authorized(HttpContext http) => http.Request.Headers.Authorization == $"Bearer {AccessToken}";

    public async ValueTask DisposeAsync()
    {
        await LocalHttpServer.StopAsync(_app);
    }
}

public enum FakeGitHubBehaviour
{
    Normal,
    Deny,
    TokenServerError,
    TokenGarbage,
    UserServerError,
    UserGarbage,
}
