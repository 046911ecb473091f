using System.Net;
using System.Text.Json;
using Microsoft.AspNetCore.Authentication;

namespace RemoltBlazor.Web.Auth;

/// <summary>
/// What a person sees when a sign-in round trip fails (bad state, a declined consent, a provider that answered 500
/// or garbage, a refused account): a small readable page with the right status and a way back, instead of the
/// framework's exception. The messages never hold a code, a token or a cookie.
/// </summary>
internal static class SignInFailurePage
{
    /// <summary>Answers a provider's remote failure (the handler's <c>OnRemoteFailure</c>).</summary>
    public static Task HandleAsync(RemoteFailureContext context, string provider)
    {
        context.HandleResponse();
        var (status, title, message) = Describe(context.Failure, provider);
        return WriteAsync(context.HttpContext, status, title, message);
    }

    /// <summary>Answers a declined consent (<c>error=access_denied</c>).</summary>
    public static Task HandleAsync(AccessDeniedContext context, string provider)
    {
        context.HandleResponse();
        return WriteAsync(context.HttpContext, StatusCodes.Status403Forbidden, "Sign-in cancelled",
            $"Access was not granted on {provider}, so you are not signed in. Start again if that was a mistake.");
    }

    internal static (int Status, string Title, string Message) Describe(Exception? failure, string provider) => failure switch
    {
        SignInRefusedException refused => (StatusCodes.Status403Forbidden, "Sign-in refused", refused.Message),
        GitHub.GitHubApiException api => (StatusCodes.Status502BadGateway, "Sign-in failed", $"{api.Message}. Try again later."),
        JsonException or HttpRequestException => (StatusCodes.Status502BadGateway, "Sign-in failed",
            $"{provider} gave an answer that could not be used. Try again later."),
        Microsoft.IdentityModel.Tokens.SecurityTokenException => (StatusCodes.Status502BadGateway, "Sign-in failed",
            $"{provider} sent an identity token that could not be verified, so nobody was signed in."),
        Microsoft.IdentityModel.Protocols.OpenIdConnect.OpenIdConnectProtocolException => (StatusCodes.Status502BadGateway, "Sign-in failed",
            $"{provider} token exchange failed. Try again later."),
        { Message: var m } when m.Contains("state was missing or invalid", StringComparison.OrdinalIgnoreCase)
            || m.Contains("Correlation failed", StringComparison.OrdinalIgnoreCase)
            || m.Contains("Unable to unprotect the message.State", StringComparison.OrdinalIgnoreCase) =>
            (StatusCodes.Status400BadRequest, "Invalid OAuth state",
                "This sign-in link is not valid here: it expired, was already used, or was started in another browser. Start the sign-in again."),
        { Message: var m } when m.StartsWith("OAuth token endpoint failure", StringComparison.OrdinalIgnoreCase)
            || m.Contains("access token", StringComparison.OrdinalIgnoreCase) =>
            (StatusCodes.Status502BadGateway, "Sign-in failed", $"{provider} token exchange failed. Try again later."),
        _ => (StatusCodes.Status502BadGateway, "Sign-in failed", $"Sign-in with {provider} failed: {failure?.Message ?? "unknown error"}"),
    };

    public static async Task WriteAsync(HttpContext http, int status, string title, string message)
    {
        http.Response.StatusCode = status;
        http.Response.ContentType = "text/html; charset=utf-8";
        http.Response.Headers.CacheControl = "no-store";
        await http.Response.WriteAsync($$"""
            <!DOCTYPE html>
            <html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
            <title>{{WebUtility.HtmlEncode(title)}} - RemoltBlazor</title>
            <style>body{font-family:system-ui,sans-serif;background:#1e1e24;color:#e6e6e6;display:flex;justify-content:center;padding-top:15vh}
            main{max-width:32rem;padding:2rem;border-radius:8px;background:#2a2a33}a{color:#8ab4f8}</style></head>
            <body><main><h1>{{WebUtility.HtmlEncode(title)}}</h1><p id="message">{{WebUtility.HtmlEncode(message)}}</p>
            <p><a href="/signin">Back to sign-in</a></p></main></body></html>
            """);
    }
}
