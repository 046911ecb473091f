using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using RemoltBlazor.Sandboxes.Sessions;
using RemoltBlazor.TestSupport;
using RemoltBlazor.Web.Tests.Hosting;

namespace RemoltBlazor.Web.Tests.Files;

/// <summary>
/// The real app on real Docker with test sign-in and two users, alice and bob, each with a session, for the file
/// API's routes and socket. Each test works in its own folder of alice's workspace.
/// </summary>
public sealed class FilesApp : IAsyncLifetime
{
    public const string Alice = "alice";
    public const string Bob = "bob";
    public const string AllowedOrigin = "https://allowed.example";
    public const long MaxTextBytes = 32 * 1024;
    public const long MaxUploadBytes = 256 * 1024;
    public static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);

    private HttpClient? _http;

    public RemoltAppFactory App { get; private set; } = default!;

    public Session AlicesSession { get; private set; } = default!;

    public Session BobsSession { get; private set; } = default!;

    public string UnknownId { get; } = SessionIds.New();

    public async Task InitializeAsync()
    {
        if (TestEnvironment.DockerSkipReason is not null)
        {
            return;
        }

        await SandboxImage.EnsureBuiltAsync();
        App = new RemoltAppFactory(new Dictionary<string, string?>
        {
            ["REMOLT_ALLOWED_ORIGINS"] = AllowedOrigin,
            ["REMOLT_FILES_MAX_TEXT_BYTES"] = MaxTextBytes.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["REMOLT_FILES_MAX_UPLOAD_BYTES"] = MaxUploadBytes.ToString(System.Globalization.CultureInfo.InvariantCulture),
        }, testUsers: true);
        _http = new HttpClient(new SocketsHttpHandler { UseCookies = false, AllowAutoRedirect = false }) { BaseAddress = App.BaseAddress, Timeout = Timeout };
        AlicesSession = await CreateAsync(Alice);
        BobsSession = await CreateAsync(Bob);
    }

    public async Task DisposeAsync()
    {
        _http?.Dispose();
        if (App is not null)
        {
            await App.DisposeAsync();
        }
    }

    public Task<Session> CreateAsync(string owner) =>
        App.Sessions.CreateAsync(owner, new CreateSessionRequest(), CancellationToken.None).WaitAsync(Timeout);

    /// <summary>A request as <paramref name="login"/> (alice by default), with an optional Origin.</summary>
    public async Task<HttpResponseMessage> SendAsync(HttpMethod method, string path, HttpContent? content = null, string? login = Alice, string? origin = null)
    {
        using var request = new HttpRequestMessage(method, path) { Content = content };
        if (login is not null)
        {
            request.As(login);
        }

        if (origin is not null)
        {
            request.Headers.Add("Origin", origin);
        }

        var response = await _http!.SendAsync(request).WaitAsync(Timeout);
        await response.Content.LoadIntoBufferAsync().WaitAsync(Timeout);
        return response;
    }

    public static StringContent Json(string json, string mediaType = "application/json") => new(json, Encoding.UTF8, mediaType);

    public static ByteArrayContent Bytes(byte[] bytes, string mediaType = "application/octet-stream")
    {
        var content = new ByteArrayContent(bytes);
        content.Headers.ContentType = new MediaTypeHeaderValue(mediaType);
        return content;
    }

    /// <summary>Runs a script as dev in alice's sandbox; fails the test on a non-zero exit.</summary>
    public Task<string> ShAsync(string script, Session? session = null) =>
        SandboxShell.RunAsync(App.Runtime, (session ?? AlicesSession).SandboxId!, script);

    public async Task<string> FolderAsync(string name)
    {
        await ShAsync($"rm -rf ~/workspace/{name} && mkdir -p ~/workspace/{name}");
        return name;
    }

    public static async Task<JsonElement> JsonOf(HttpResponseMessage response)
    {
        response.Content.Headers.ContentType?.MediaType.ShouldBe("application/json");
        return JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.Clone();
    }

    public static async Task<string> DetailAsync(HttpResponseMessage response)
    {
        var body = await JsonOf(response);
        body.EnumerateObject().Select(p => p.Name).ShouldBe(["detail"]);
        return body.GetProperty("detail").GetString()!;
    }
}
