using Microsoft.AspNetCore.Http.HttpResults;
using RemoltBlazor.Data.Keys;
using RemoltBlazor.Sandboxes.Sessions;
using RemoltBlazor.Web.Hosting;

namespace RemoltBlazor.Web.Endpoints;

/// <summary>
/// The original's stored-keys API (behaviour page, section 3.4) with the same shapes, but kept per user on the
/// server, sealed, so they persist in every mode (the original's lived in the cookie and were lost in local mode).
/// </summary>
internal static class KeyEndpoints
{
    public static IEndpointRouteBuilder MapKeyEndpoints(this IEndpointRouteBuilder routes)
    {
        var group = routes.MapGroup("/api/keys").WithTags("Keys");
        group.MapGet("", ListAsync).WithSummary("Names of your stored API keys (never their values)");
        group.MapPut("", PutAsync).WithSummary("Store API keys (sealed at rest)");
        group.MapDelete("/{name}", DeleteAsync).WithSummary("Delete a stored API key");
        return routes;
    }

    private static async Task<KeysResponse> ListAsync(HttpContext http, ApiKeyStore keys, CancellationToken cancellationToken) =>
        new(await keys.NamesAsync(CallerName.Of(http), cancellationToken));

    /// <summary>
    /// Names outside the allowed list are ignored, as the original did; a blank value removes its key. One refused
    /// value refuses the whole request, so a client never half-applies a batch.
    /// </summary>
    private static async Task<Results<Ok<KeysResponse>, BadRequest<ErrorResponse>>> PutAsync(
        KeysBody? body, HttpContext http, ApiKeyStore keys, StoredKeyNames names, CancellationToken cancellationToken)
    {
        var changes = (body?.Keys ?? []).Where(k => names.IsAllowed(k.Key)).ToDictionary(k => k.Key, k => k.Value, StringComparer.Ordinal);
        foreach (var (name, value) in changes)
        {
            if (value is not null && ApiKeyStore.Refusal(name, value) is { } refusal)
            {
                return TypedResults.BadRequest(new ErrorResponse(refusal));
            }
        }

        var owner = CallerName.Of(http);
        await keys.ApplyAsync(owner, changes, cancellationToken);
        return TypedResults.Ok(new KeysResponse(await keys.NamesAsync(owner, cancellationToken)));
    }

    private static async Task<Results<Ok<KeysResponse>, BadRequest<ErrorResponse>>> DeleteAsync(
        string name, HttpContext http, ApiKeyStore keys, StoredKeyNames names, CancellationToken cancellationToken)
    {
        if (!names.IsAllowed(name))
        {
            return TypedResults.BadRequest(new ErrorResponse($"Unknown key: {name}"));
        }

        var owner = CallerName.Of(http);
        await keys.DeleteAsync(owner, name, cancellationToken);
        return TypedResults.Ok(new KeysResponse(await keys.NamesAsync(owner, cancellationToken)));
    }
}

/// <summary><c>{"keys": {NAME: value}}</c>; a null or empty value removes the key.</summary>
internal sealed record KeysBody(Dictionary<string, string?>? Keys);

/// <summary><c>{"keys": [names]}</c>: the names the caller has stored, never a value.</summary>
internal sealed record KeysResponse(IReadOnlyList<string> Keys);
