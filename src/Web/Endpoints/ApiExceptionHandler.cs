using Microsoft.AspNetCore.Diagnostics;
using RemoltBlazor.Data;
using RemoltBlazor.Sandboxes.Files;
using RemoltBlazor.Sandboxes.Sessions;
using RemoltBlazor.Sandboxes.Workspace;

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
            SessionLimitException e => (StatusCodes.Status429TooManyRequests, e.Message),
            SessionRequestException e => (StatusCodes.Status400BadRequest, e.Message),
            SessionNotRunningException e => (StatusCodes.Status400BadRequest, e.Message),
            WorkspaceArchiveException e => (StatusCodes.Status400BadRequest, e.Message),
            WorkspaceUploadTooLargeException e => (StatusCodes.Status413PayloadTooLarge, e.Message),
            WorkspaceUploadBusyException e => (StatusCodes.Status429TooManyRequests, e.Message),
            WorkspaceTransferException e => (StatusCodes.Status500InternalServerError, e.Message),
            FilePathException e => (StatusCodes.Status400BadRequest, e.Message),
            FileNotFoundInWorkspaceException e => (StatusCodes.Status404NotFound, e.Message),
            FileConflictException e => (StatusCodes.Status409Conflict, e.Message),
            FileTooLargeException e => (StatusCodes.Status413PayloadTooLarge, e.Message),
            FileOperationException e => (StatusCodes.Status400BadRequest, e.Message),
            SessionRuntimeUnavailableException e => (StatusCodes.Status503ServiceUnavailable, e.Message),
            SessionCreateException e => (StatusCodes.Status500InternalServerError, e.Message),
            DatabaseRefusedException e => (StatusCodes.Status500InternalServerError, e.Message),
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
        exception.InnerException is System.Text.Json.JsonException json ? JsonDetail(json) : exception.Message;

    /// <summary>
    /// Syntax errors keep System.Text.Json's message (it says what is wrong and where); a value of the wrong type
    /// gets a message naming the JSON path instead of the server's internal .NET type.
    /// </summary>
    private static string JsonDetail(System.Text.Json.JsonException json)
    {
        if (!json.Message.StartsWith("The JSON value could not be converted to ", StringComparison.Ordinal))
        {
            return $"Invalid JSON body: {json.Message}";
        }

        var where = $"(line {json.LineNumber + 1}, byte {json.BytePositionInLine})";
        return json.Path is null or "$"
            ? $"Invalid JSON body: expected a JSON object {where}."
            : $"Invalid JSON body: the value of {json.Path} has the wrong type {where}.";
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "{Method} {Path} failed")]
    private static partial void LogServerError(ILogger logger, string method, string path, Exception exception);
}
