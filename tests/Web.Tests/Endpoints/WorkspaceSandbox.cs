using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using RemoltBlazor.Sandboxes.Sessions;
using RemoltBlazor.TestSupport;
using RemoltBlazor.Web.Tests.Hosting;

namespace RemoltBlazor.Web.Tests.Endpoints;

/// <summary>
/// One app on real Docker for the workspace transfer tests, with a small upload limit; each test makes its own
/// session (a fresh sandbox) through it and looks inside with the runtime's exec or the docker CLI.
/// </summary>
public sealed class WorkspaceSandbox : IAsyncLifetime
{
    public const long MaxUploadBytes = 2 * 1024 * 1024;
    public static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);

    public RemoltAppFactory App { get; private set; } = default!;

    public HttpClient Client { get; private set; } = default!;

    public async Task InitializeAsync()
    {
        if (TestEnvironment.DockerSkipReason is not null)
        {
            return;
        }

        await SandboxImage.EnsureBuiltAsync();
        App = new RemoltAppFactory(new Dictionary<string, string?>
        {
            ["REMOLT_MAX_UPLOAD_BYTES"] = MaxUploadBytes.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["REMOLT_MAX_USER_SESSIONS"] = "20",
            ["REMOLT_MAX_SESSIONS"] = "20",
            ["REMOLT_ALLOWED_ORIGINS"] = "https://allowed.example",
        });
        Client = new HttpClient { BaseAddress = App.BaseAddress, Timeout = Timeout };
    }

    public async Task DisposeAsync()
    {
        Client?.Dispose();
        if (App is not null)
        {
            await App.DisposeAsync();
        }
    }

    public Task<Session> CreateSessionAsync(string owner = "anonymous") =>
        App.Sessions.CreateAsync(owner, new CreateSessionRequest(), CancellationToken.None).WaitAsync(Timeout);

    /// <summary>Runs a script as dev in the session's sandbox; fails the test on a non-zero exit.</summary>
    public async Task<string> ShAsync(Session session, string script)
    {
        var result = await App.Runtime.ExecAsync(session.SandboxId!, ["bash", "-c", script], ReadOnlyMemory<byte>.Empty, CancellationToken.None)
            .WaitAsync(Timeout);
        var stdout = Encoding.UTF8.GetString(result.Stdout);
        result.ExitCode.ShouldBe(0, $"`{script}` failed: {Encoding.UTF8.GetString(result.Stderr)}");
        return stdout.Trim();
    }

    /// <summary>Runs a command as root in the sandbox (things dev cannot do: files dev cannot read).</summary>
    public static Task<string> RootAsync(Session session, string script) =>
        DockerCli.RunAsync($"exec -u root {session.SandboxId} bash -c \"{script}\"");

    /// <summary>Every path under ~ and /tmp, sorted, to compare before and after an upload.</summary>
    public Task<string> ListFilesAsync(Session session) => ShAsync(session, "find /home/dev /tmp 2>/dev/null | sort");

    public async Task<HttpResponseMessage> UploadAsync(string id, byte[] body, string contentType = "application/gzip", string? origin = null)
    {
        var content = new ByteArrayContent(body);
        content.Headers.ContentType = MediaTypeHeaderValue.Parse(contentType);
        using var request = new HttpRequestMessage(HttpMethod.Post, $"/api/sessions/{id}/upload") { Content = content };
        if (origin is not null)
        {
            request.Headers.Add("Origin", origin);
        }

        return await Client.SendAsync(request).WaitAsync(Timeout);
    }

    public async Task<byte[]> DownloadAsync(string id)
    {
        using var response = await Client.GetAsync($"/api/sessions/{id}/download").WaitAsync(Timeout);
        response.StatusCode.ShouldBe(System.Net.HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
        return await response.Content.ReadAsByteArrayAsync().WaitAsync(Timeout);
    }

    public static async Task<string> DetailAsync(HttpResponseMessage response)
    {
        response.Content.Headers.ContentType?.MediaType.ShouldBe("application/json");
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync().WaitAsync(Timeout));
        body.RootElement.EnumerateObject().Select(p => p.Name).ShouldBe(["detail"]);
        return body.RootElement.GetProperty("detail").GetString()!;
    }
}
