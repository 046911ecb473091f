using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;

namespace RemoltBlazor.Web.Auth.GitHub;

/// <summary>
/// The three GitHub REST calls sign-in needs, made with the user's own token: the profile, the verified primary email
/// when the profile shows none, and organisation membership for <c>REMOLT_ALLOWED_ORGS</c>. Answers that are not what
/// GitHub documents are refused with <see cref="GitHubApiException"/> (https://docs.github.com/rest/users).
/// </summary>
internal sealed class GitHubApi(HttpClient http, string apiUrl, string token)
{
    private readonly string _base = apiUrl.TrimEnd('/');

    public async Task<GitHubProfile> GetUserAsync(CancellationToken cancellationToken)
    {
        using var response = await SendAsync("/user", cancellationToken);
        if (!response.IsSuccessStatusCode)
        {
            throw new GitHubApiException($"Failed to fetch GitHub user (HTTP {(int)response.StatusCode})");
        }

        try
        {
            using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync(cancellationToken));
            var root = json.RootElement;
            var login = root.GetProperty("login").GetString();
            if (string.IsNullOrWhiteSpace(login))
            {
                throw new GitHubApiException("Failed to fetch GitHub user (no login in the answer)");
            }

            return new GitHubProfile(login, Text(root, "name"), Text(root, "email"));
        }
        catch (Exception ex) when (ex is JsonException or KeyNotFoundException or InvalidOperationException)
        {
            throw new GitHubApiException("Failed to fetch GitHub user (the answer is not a GitHub user)");
        }
    }

    /// <summary>The first primary, verified address, or null (any failure here just leaves the email empty, as the original does).</summary>
    public async Task<string?> GetPrimaryEmailAsync(CancellationToken cancellationToken)
    {
        try
        {
            using var response = await SendAsync("/user/emails", cancellationToken);
            if (!response.IsSuccessStatusCode)
            {
                return null;
            }

            using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync(cancellationToken));
            return json.RootElement.ValueKind != JsonValueKind.Array ? null : json.RootElement.EnumerateArray()
                .Where(e => e.ValueKind == JsonValueKind.Object && Flag(e, "primary") && Flag(e, "verified"))
                .Select(e => Text(e, "email"))
                .FirstOrDefault(e => e is { Length: > 0 });
        }
        catch (Exception ex) when (ex is JsonException or HttpRequestException or InvalidOperationException)
        {
            return null;
        }
    }

    /// <summary>Whether the user is a member of <paramref name="org"/> (204 from <c>/orgs/{org}/members/{login}</c>, asked as that user).</summary>
    public async Task<bool> IsOrgMemberAsync(string org, string login, CancellationToken cancellationToken)
    {
        using var response = await SendAsync($"/orgs/{Uri.EscapeDataString(org)}/members/{Uri.EscapeDataString(login)}", cancellationToken);
        return response.StatusCode == HttpStatusCode.NoContent;
    }

    private Task<HttpResponseMessage> SendAsync(string path, CancellationToken cancellationToken)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, _base + path);
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        request.Headers.Accept.ParseAdd("application/vnd.github+json");
        request.Headers.UserAgent.ParseAdd("RemoltBlazor");
        return http.SendAsync(request, cancellationToken);
    }

    private static string? Text(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    private static bool Flag(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.True;
}

internal sealed record GitHubProfile(string Login, string? Name, string? Email);

/// <summary>GitHub answered something sign-in cannot use; the message is safe to show (no token in it).</summary>
internal sealed class GitHubApiException(string message) : Exception(message);
