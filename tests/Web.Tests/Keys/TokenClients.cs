using System.Net.Http.Headers;
using Microsoft.Extensions.DependencyInjection;
using RemoltBlazor.Data.Keys;
using RemoltBlazor.Web.Tests.Hosting;
using static RemoltBlazor.Web.Tests.Endpoints.SessionApiClient;

namespace RemoltBlazor.Web.Tests.Keys;

/// <summary>
/// HTTP clients that act as a given user by carrying one of that user's personal access tokens: there is no sign-in
/// provider in these tests, so a token minted in the app's own store is how a test becomes "alice" or "bob".
/// </summary>
internal static class TokenClients
{
    public static async Task<(HttpClient Client, CreatedAccessToken Token)> AsUserAsync(RemoltAppFactory app, string login, DateTimeOffset? expires = null)
    {
        var token = await app.Services.GetRequiredService<AccessTokenStore>().CreateAsync(login, $"{login}-test", expires, CancellationToken.None);
        return (WithBearer(app, token.Token), token);
    }

    public static HttpClient WithBearer(RemoltAppFactory app, string token)
    {
        var client = Client(app);
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return client;
    }

    public static Task<HttpResponseMessage> PutKeysAsync(HttpClient client, string json) =>
        client.PutAsync("/api/keys", new StringContent(json, System.Text.Encoding.UTF8, "application/json")).WaitAsync(ApiTimeout);

    public static async Task<string[]> KeyNamesAsync(HttpResponseMessage response)
    {
        response.EnsureSuccessStatusCode();
        return [.. (await JsonAsync(response)).GetProperty("keys").EnumerateArray().Select(k => k.GetString()!)];
    }

    /// <summary>Every file of the data folder and the events file as text (Latin-1, so any byte sequence can be searched).</summary>
    public static async Task<string> EverythingStoredAsync(RemoltAppFactory app, string? eventsLog)
    {
        // Fold the WAL into the main file first, so the search sees what a copy of remolt.db would hold.
        await using (var db = await app.Services.GetRequiredService<Microsoft.EntityFrameworkCore.IDbContextFactory<RemoltBlazor.Data.RemoltDbContext>>().CreateDbContextAsync())
        {
            await Microsoft.EntityFrameworkCore.RelationalDatabaseFacadeExtensions.ExecuteSqlRawAsync(db.Database, "PRAGMA wal_checkpoint(TRUNCATE);");
        }

        var files = Directory.GetFiles(app.DataDirectory, "*", SearchOption.AllDirectories).Concat(eventsLog is null ? [] : [eventsLog]);
        var text = new System.Text.StringBuilder();
        foreach (var file in files)
        {
            try
            {
                text.Append(System.Text.Encoding.Latin1.GetString(await File.ReadAllBytesAsync(file)));
            }
            catch (FileNotFoundException)
            {
                // A WAL or shared-memory file the pool's last connection removed after the checkpoint emptied it.
            }
        }

        return text.ToString();
    }
}
