using Microsoft.Extensions.Logging.Console;

namespace RemoltBlazor.Web.Operations;

/// <summary>
/// <c>REMOLT_LOG_FORMAT</c>: unset or <c>simple</c> keeps the console's readable lines; <c>json</c> switches to the
/// framework's JSON console formatter (one object per line, UTC timestamps), for log collectors. Anything else stops
/// the start with a message that says what is allowed, rather than logging in a format nobody asked for.
/// </summary>
internal static class LogFormat
{
    public const string Variable = "REMOLT_LOG_FORMAT";

    public static void Apply(IHostApplicationBuilder builder)
    {
        var value = builder.Configuration[Variable]?.Trim() ?? "";
        switch (value.ToLowerInvariant())
        {
            case "" or "simple":
                return;
            case "json":
                builder.Logging.AddJsonConsole(json =>
                {
                    json.UseUtcTimestamp = true;
                    json.TimestampFormat = "yyyy-MM-dd'T'HH:mm:ss.fff'Z'";
                });
                builder.Services.Configure<ConsoleLoggerOptions>(console => console.FormatterName = ConsoleFormatterNames.Json);
                return;
            default:
                throw new InvalidOperationException($"{Variable} must be 'json' or 'simple' (or unset for simple); it is '{value}'.");
        }
    }
}
