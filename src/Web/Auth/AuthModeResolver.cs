using System.Net;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.Options;

namespace RemoltBlazor.Web.Auth;

/// <summary>
/// The mode in force: <c>REMOLT_AUTH</c> when set; else GitHub or OIDC when configured; else <c>none</c> while every
/// address the server really listens on is loopback, and <c>token</c> as soon as one is not, so a server never serves
/// sandboxes to a network without sign-in by accident. Read from the server's bound addresses, after it started.
/// </summary>
internal sealed class AuthModeResolver(IOptions<AuthOptions> options, IServer server)
{
    private AuthMode? _mode;

    public AuthMode Mode => _mode ?? Resolve();

    /// <summary>Whether a caller must sign in (every mode but none).</summary>
    public bool Required => Mode != AuthMode.None;

    private AuthMode Resolve()
    {
        var auth = options.Value;
        var configured = auth.ExplicitMode ?? (auth.GitHubConfigured ? AuthMode.GitHub : auth.OidcConfigured ? AuthMode.Oidc : null);
        if (configured is { } fixedMode)
        {
            _mode = fixedMode;
            return fixedMode;
        }

        // Before the server has bound (no addresses yet) the answer is not final, so it is kept only once there are some.
        var addresses = ListenAddresses(server);
        var mode = AllLoopback(addresses) ? AuthMode.None : AuthMode.Token;
        if (addresses.Count > 0)
        {
            _mode = mode;
        }

        return mode;
    }

    public static IReadOnlyList<string> ListenAddresses(IServer server) =>
        [.. server.Features.Get<IServerAddressesFeature>()?.Addresses ?? []];

    /// <summary>
    /// Whether every address is loopback (<c>localhost</c>, 127.0.0.0/8, ::1). Wildcards (0.0.0.0, [::], +, *), other
    /// hosts and Unix sockets (often behind a public reverse proxy) are not. No address at all (an in-memory test
    /// server) reaches nobody else, so it counts as loopback.
    /// </summary>
    public static bool AllLoopback(IEnumerable<string> addresses) => addresses.All(IsLoopback);

    private static bool IsLoopback(string address)
    {
        if (address.Contains("unix:", StringComparison.OrdinalIgnoreCase) || address.Contains("pipe:", StringComparison.OrdinalIgnoreCase))
        {
            return false;
        }

        var host = BindingAddress.Parse(address).Host;
        if (string.Equals(host, "localhost", StringComparison.OrdinalIgnoreCase))
        {
            return true;
        }

        return IPAddress.TryParse(host.Trim('[', ']'), out var ip) && IPAddress.IsLoopback(ip);
    }
}
