using System.Formats.Tar;
using System.IO.Compression;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Data.Sqlite;
using RemoltBlazor.Sandboxes.Sessions;
using RemoltBlazor.TestSupport;
using RemoltBlazor.Web.Tests.Hosting;

namespace RemoltBlazor.Web.Tests.Backup;

/// <summary><c>POST /api/admin/backup</c>: a valid archive for admins, nothing for anyone else or any other site.</summary>
public sealed class BackupEndpointTests : IAsyncLifetime
{
    private const string BackupPath = "/api/admin/backup";
    private readonly FakeSandboxRuntime _runtime = new();
    private RemoltAppFactory _app = default!;
    private Session _session = default!;

    public async Task InitializeAsync()
    {
        _app = new RemoltAppFactory(runtime: _runtime, testUsers: true);
        _session = await _app.Sessions.CreateAsync("alice", new CreateSessionRequest("claude-code"), CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(30));
    }

    public async Task DisposeAsync() => await _app.DisposeAsync();

    [Fact]
    public async Task Post_Admin_DownloadsADatedArchiveWithTheRunningSessionsDatabase()
    {
        using var response = await _app.SendAsAsync("carol", HttpMethod.Post, BackupPath, JsonContent.Create(new { }), admin: true);

        response.StatusCode.ShouldBe(HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
        response.Content.Headers.ContentType!.MediaType.ShouldBe("application/gzip");
        (response.Content.Headers.ContentDisposition!.FileNameStar ?? "").ShouldMatch(@"^remolt-backup-\d{8}-\d{6}Z\.tar\.gz$");
        response.Headers.CacheControl!.NoStore.ShouldBeTrue();

        var entries = await ReadArchiveAsync(await response.Content.ReadAsByteArrayAsync());
        entries.Keys.Order(StringComparer.Ordinal).ShouldBe(["manifest.json", "remolt.db", "secret-keys"]);
        JsonDocument.Parse(entries["manifest.json"]).RootElement.GetProperty("instance_id").GetString().ShouldBe(_app.InstanceId);
        var copy = Path.Combine(_app.DataDirectory, "downloaded-copy.db");
        await File.WriteAllBytesAsync(copy, entries["remolt.db"]);
        await using var connection = new SqliteConnection($"Data Source={copy};Pooling=False");
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT (SELECT count(*) FROM sessions WHERE Id = $id) || ' ' || (SELECT integrity_check FROM pragma_integrity_check)";
        command.Parameters.AddWithValue("$id", _session.Id);
        (await command.ExecuteScalarAsync()).ShouldBe("1 ok");
        _session.IsRunning.ShouldBeTrue("a backup leaves sessions alone");
    }

    [Fact]
    public async Task Post_NotAnAdmin_AnswersLikeAnUnknownRoute()
    {
        using var unknown = await _app.SendAsAsync("alice", HttpMethod.Get, "/api/no-such-route");
        using var asAlice = await _app.SendAsAsync("alice", HttpMethod.Post, BackupPath, JsonContent.Create(new { }));
        using var asNobody = await _app.SendAsAsync(null, HttpMethod.Post, BackupPath, JsonContent.Create(new { }));

        asAlice.StatusCode.ShouldBe(HttpStatusCode.NotFound);
        (await asAlice.Content.ReadAsStringAsync()).ShouldBe(await unknown.Content.ReadAsStringAsync());
        asNobody.StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
    }

    [Theory]
    [InlineData("Origin", "https://evil.example")]
    [InlineData("Sec-Fetch-Site", "cross-site")]
    public async Task Post_AdminFromAnotherSite_403(string header, string value)
    {
        using var http = new HttpClient { BaseAddress = _app.BaseAddress };
        using var request = new HttpRequestMessage(HttpMethod.Post, BackupPath) { Content = JsonContent.Create(new { }) };
        request.As("carol", admin: true).Headers.Add(header, value);

        using var response = await http.SendAsync(request);

        response.StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        (await response.Content.ReadAsStringAsync()).ShouldContain("Invalid origin");
    }

    [Fact]
    public async Task Post_AdminNoCorsEmptyPost_415()
    {
        using var response = await _app.SendAsAsync("carol", HttpMethod.Post, BackupPath, new ByteArrayContent([]), admin: true);

        response.StatusCode.ShouldBe(HttpStatusCode.UnsupportedMediaType);
    }

    private static async Task<Dictionary<string, byte[]>> ReadArchiveAsync(byte[] archive)
    {
        var entries = new Dictionary<string, byte[]>(StringComparer.Ordinal);
        await using var gzip = new GZipStream(new MemoryStream(archive), CompressionMode.Decompress);
        await using var tar = new TarReader(gzip);
        while (await tar.GetNextEntryAsync(copyData: true) is { } entry)
        {
            var data = new MemoryStream();
            await entry.DataStream!.CopyToAsync(data);
            entries.Add(entry.Name, data.ToArray());
        }

        return entries;
    }
}
