using System.Text.Json;

namespace RemoltBlazor.Web.Endpoints;

internal static class JsonOptionsExtensions
{
    /// <summary>The API's wire shape (snake_case), for what the page stores where the original frontend looks.</summary>
    public static JsonSerializerOptions WithSnakeCase(this JsonSerializerOptions options) =>
        new(options) { PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower };
}
