using System.Globalization;
using Microsoft.AspNetCore.WebUtilities;

namespace RemoltBlazor.Web.Components.Controls;

/// <summary>
/// Sign-ins that return to <c>http://localhost:PORT/...</c> (Codex: <c>redirect_uri=http://localhost:1455/auth/callback</c>,
/// answered by <c>codex login</c>'s own server on the sandbox's 127.0.0.1:1455). The user's browser lands on its
/// own localhost, where nothing listens; the address it ended on is opened through the port preview instead, so the
/// server in the sandbox completes the sign-in.
/// </summary>
internal static class AuthUrlBannerCallback
{
    /// <summary>The port of a loopback <c>redirect_uri</c> in <paramref name="authUrl"/>, or null when it has none.</summary>
    public static int? LocalRedirectPort(string authUrl)
    {
        if (!Uri.TryCreate(authUrl, UriKind.Absolute, out var uri))
        {
            return null;
        }

        var query = QueryHelpers.ParseQuery(uri.Query);
        return query.TryGetValue("redirect_uri", out var redirect) && Uri.TryCreate(redirect.ToString(), UriKind.Absolute, out var target)
            ? LoopbackPort(target)
            : null;
    }

    /// <summary>
    /// The app path that reaches <paramref name="pasted"/> (the address the browser ended on) inside the session's
    /// sandbox; null with a reason when it is not an http://localhost address on <paramref name="port"/>.
    /// </summary>
    public static string? ProxyPath(string sessionId, int port, string pasted, out string? error)
    {
        error = null;
        var text = pasted.Trim();
        if (text.Length == 0)
        {
            return null;
        }

        if (!Uri.TryCreate(text, UriKind.Absolute, out var uri) || LoopbackPort(uri) is not { } landed)
        {
            error = $"Paste the whole address, starting with http://localhost:{port.ToString(CultureInfo.InvariantCulture)}/";
            return null;
        }

        if (landed != port)
        {
            error = $"That address is on port {landed.ToString(CultureInfo.InvariantCulture)}; the sign-in returns to port {port.ToString(CultureInfo.InvariantCulture)}.";
            return null;
        }

        return string.Create(CultureInfo.InvariantCulture, $"/proxy/{sessionId}/port/{port}{uri.GetComponents(UriComponents.PathAndQuery, UriFormat.UriEscaped)}");
    }

    private static int? LoopbackPort(Uri uri) =>
        uri.Scheme == Uri.UriSchemeHttp && uri.Host is "localhost" or "127.0.0.1" or "0.0.0.0" or "[::1]" ? uri.Port : null;
}
