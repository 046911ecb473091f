namespace RemoltBlazor.Web.Endpoints;

// Wire shapes of the workspace file API (issue 11, after the cc-prod seed's file server). snake_case; times are epoch
// seconds like created_at.

/// <summary>One row of <c>GET /api/sessions/{id}/files?path=</c>: <c>file</c>, <c>directory</c> or <c>symlink</c>.</summary>
internal sealed record FileEntryResponse(string Name, string Type, long Size, double Modified);

/// <summary>
/// <c>GET /api/sessions/{id}/files/{path}</c>: <c>content</c> is null when <c>binary</c> or <c>too_large</c>; pass
/// <c>version</c> back with the next write to be told (409) when the file changed meanwhile.
/// </summary>
internal sealed record FileContentResponse(string Path, string? Content, long Size, double Modified, string Version, bool Binary, bool TooLarge);

/// <summary>A <c>PUT</c> of text: <c>version</c> (optional) is the one the editor read.</summary>
internal sealed record FileWriteBody(string? Content, string? Version);

/// <summary>What a write left: the version to send with the next one.</summary>
internal sealed record FileWrittenResponse(string Path, long Size, double Modified, string Version);

/// <summary>A <c>POST</c>: <c>{"type": "directory"}</c> or <c>{"type": "file"}</c> (empty).</summary>
internal sealed record FileCreateBody(string? Type);

/// <summary>A <c>PATCH</c>: the new place, relative to the workspace.</summary>
internal sealed record FileMoveBody(string? Path);

/// <summary>Where an entry is now (after a create or a move).</summary>
internal sealed record FilePathResponse(string Path);
