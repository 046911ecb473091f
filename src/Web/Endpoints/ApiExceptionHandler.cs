using Microsoft.AspNetCore.Diagnostics;
using RemoltBlazor.Sandboxes.Sessions;

namespace RemoltBlazor.Web.Endpoints;

/// <summary>
/// Maps domain errors to the original's error shape <c>{"detail": "..."}</c> with the right status. Anything
/// unexpected becomes a 500 with a generic detail (the exception is logged, never sent).
/// </summary>
internal sealed partial class ApiExceptionHandler(ILogger<ApiExceptionHandler> logger) : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext http, Exception exception, CancellationToken cancellationToken)
    {
        var (status, detail) = exception switch
        {
            SessionNotFoundException e => (StatusCodes.Status404NotFound, e.Message),
            SessionForbiddenException e => (StatusCodes.Status403Forbidden, e.Message),
            SessionLimitException e => (StatusCodes.Status429TooManyRequests, e.Message),
            SessionRequestException e => (StatusCodes.Status400BadRequest, e.Message),
            SessionRuntimeUnavailableException e => (StatusCodes.Status503ServiceUnavailable, e.Message),
            SessionCreateException e => (StatusCodes.Status500InternalServerError, e.Message),
            BadHttpRequestException e => (e.StatusCode, BadRequestDetail(e)),
            _ => (StatusCodes.Status500InternalServerError, "Internal server error"),
        };

        if (status >= 500)
        {
            LogServerError(logger, http.Request.Method, http.Request.Path, exception);
        }

        if (http.Response.HasStarted)
        {
            return false;
        }

        http.Response.StatusCode = status;
        await http.Response.WriteAsJsonAsync(new ErrorResponse(detail), cancellationToken);
        return true;
    }

    private static string BadRequestDetail(BadHttpRequestException exception) =>
        exception.InnerException is System.Text.Json.JsonException json
            ? $"Invalid JSON body: {json.Message}"
            : exception.Message;

    [LoggerMessage(Level = LogLevel.Error, Message = "{Method} {Path} failed")]
    private static partial void LogServerError(ILogger logger, string method, string path, Exception exception);
}
