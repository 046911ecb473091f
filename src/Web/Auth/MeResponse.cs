namespace RemoltBlazor.Web.Auth;

/// <summary>
/// <c>GET /auth/me</c> in the original's shape: <c>login</c>, <c>name</c>, <c>email</c>, <c>auth_required</c>,
/// <c>stored_keys</c> (key names only). The GitHub token is never part of it.
/// </summary>
internal sealed record MeResponse(string Login, string Name, string Email, bool AuthRequired, IReadOnlyList<string> StoredKeys);
