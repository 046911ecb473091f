using Microsoft.AspNetCore.Http.HttpResults;
using RemoltBlazor.Data.Keys;
using RemoltBlazor.Web.Hosting;

namespace RemoltBlazor.Web.Endpoints;

/// <summary>
/// Personal access tokens of the caller: list, create (the token is in the create response and nowhere else, ever),
/// revoke. Someone else's token id answers 404 like an unknown one, so ids cannot be probed.
/// </summary>
internal static class TokenEndpoints
{
    private const int MaxExpiryDays = 3650;

    public static IEndpointRouteBuilder MapTokenEndpoints(this IEndpointRouteBuilder routes)
    {
        var group = routes.MapGroup("/api/tokens").WithTags("Access tokens");
        group.MapGet("", ListAsync).WithSummary("Your personal access tokens (never the tokens themselves)");
        group.MapPost("", CreateAsync).WithSummary("Create a personal access token (shown once)");
        group.MapDelete("/{id}", RevokeAsync).WithSummary("Revoke a personal access token");
        return routes;
    }

    private static async Task<TokenSummary[]> ListAsync(HttpContext http, AccessTokenStore tokens, CancellationToken cancellationToken) =>
        [.. (await tokens.ListAsync(CallerName.Of(http), cancellationToken)).Select(TokenSummary.Of)];

    private static async Task<Results<Ok<CreatedTokenResponse>, BadRequest<ErrorResponse>>> CreateAsync(
        CreateTokenBody? body, HttpContext http, AccessTokenStore tokens, TimeProvider time, CancellationToken cancellationToken)
    {
        var name = body?.Name?.Trim() ?? "";
        if (name.Length is 0 or > AccessTokenStore.MaxNameLength)
        {
            return TypedResults.BadRequest(new ErrorResponse($"A token needs a name of 1 to {AccessTokenStore.MaxNameLength} characters"));
        }

        if (body?.ExpiresInDays is < 1 or > MaxExpiryDays)
        {
            return TypedResults.BadRequest(new ErrorResponse($"expires_in_days must be between 1 and {MaxExpiryDays}"));
        }

        DateTimeOffset? expires = body?.ExpiresInDays is { } days ? time.GetUtcNow().AddDays(days) : null;
        var created = await tokens.CreateAsync(CallerName.Of(http), name, expires, cancellationToken);
        var summary = TokenSummary.Of(created.Record);
        return TypedResults.Ok(new CreatedTokenResponse(
            summary.Id, summary.Name, summary.Prefix, summary.CreatedAt, summary.LastUsedAt, summary.ExpiresAt, created.Token));
    }

    private static async Task<Results<Ok<TokenRevoked>, NotFound<ErrorResponse>>> RevokeAsync(
        string id, HttpContext http, AccessTokenStore tokens, CancellationToken cancellationToken) =>
        await tokens.RevokeAsync(CallerName.Of(http), id, cancellationToken)
            ? TypedResults.Ok(new TokenRevoked("revoked", id))
            : TypedResults.NotFound(new ErrorResponse("Token not found"));
}

internal sealed record CreateTokenBody(string? Name, int? ExpiresInDays);

/// <summary>A token as listed: never the token itself. Times are epoch seconds, like the sessions' <c>created_at</c>.</summary>
internal sealed record TokenSummary(string Id, string Name, string Prefix, double CreatedAt, double? LastUsedAt, double? ExpiresAt)
{
    public static TokenSummary Of(AccessTokenRecord record) => new(
        record.Id, record.Name, record.Prefix, Epoch(record.CreatedAt), record.LastUsedAt is { } used ? Epoch(used) : null,
        record.ExpiresAt is { } expires ? Epoch(expires) : null);

    private static double Epoch(DateTimeOffset time) => time.ToUnixTimeMilliseconds() / 1000.0;
}

/// <summary>The create response: the summary and the token, shown this once.</summary>
internal sealed record CreatedTokenResponse(
    string Id, string Name, string Prefix, double CreatedAt, double? LastUsedAt, double? ExpiresAt, string Token);

internal sealed record TokenRevoked(string Status, string Id);
