namespace RemoltBlazor.Web.Endpoints;

// Wire shapes of the original's API (behaviour page, sections 4 and 15). Serialized in snake_case; nulls are written.

internal sealed record CreateSessionBody(
    string? RepoUrl,
    string? GitUserName,
    string? GitUserEmail,
    string? ApiKey,
    string? GithubToken,
    string? AgentType,
    Dictionary<string, string?>? AgentEnv);

internal sealed record SessionResponse(
    string SessionId,
    string Status,
    string WsUrl,
    string AgentType,
    string? ProxyUrl,
    string VscodeUrl,
    string? LogsWsUrl,
    int Terminals);

internal sealed record SessionSummary(
    string SessionId,
    string Status,
    string WsUrl,
    string AgentType,
    string? ProxyUrl,
    double CreatedAt,
    int Terminals);

internal sealed record SessionTerminated(string Status, string SessionId);

/// <summary>One row of the admins' listing (not in the original): who owns what, in which state, since when.</summary>
internal sealed record AdminSessionSummary(
    string SessionId,
    string Owner,
    string AgentType,
    string State,
    double CreatedAt,
    double LastActivity);

/// <summary>The optional body of an admin's DELETE: why the session was ended.</summary>
internal sealed record AdminEndBody(string? Note);

internal sealed record AgentSummary(
    string Id,
    string Name,
    string Description,
    string Icon,
    bool HasDashboard,
    IReadOnlyList<AgentEnvSchemaEntry> EnvSchema);

internal sealed record AgentEnvSchemaEntry(string Key, string Label, bool Secret, bool Required);

internal sealed record HealthResponse(string Status, int Sessions, string Version, string Runtime, bool RuntimeAvailable);

internal sealed record ErrorResponse(string Detail);

internal sealed record UploadResponse(bool Ok);
