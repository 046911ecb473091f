namespace RemoltBlazor.Sandboxes.Sessions;

/// <summary>What a caller may ask for when creating a session (the original's CreateSessionReq, all optional).</summary>
public sealed record CreateSessionRequest(
    string? AgentId = null,
    string? GitUserName = null,
    string? GitUserEmail = null,
    string? RepoUrl = null,
    IReadOnlyDictionary<string, string>? AgentEnv = null,
    IReadOnlyDictionary<string, string>? Credentials = null);

/// <summary>Credentials a caller may hand over outside an agent's schema (the original's github_token and api_key).</summary>
public static class SessionCredentials
{
    public const string GitHubToken = "GITHUB_TOKEN";
    public const string AnthropicApiKey = "ANTHROPIC_API_KEY";

    public static IReadOnlySet<string> Allowed { get; } = new HashSet<string>(StringComparer.Ordinal)
    {
        GitHubToken, AnthropicApiKey, "OPENAI_API_KEY", "GEMINI_API_KEY", "OPENROUTER_API_KEY",
    };
}
