using Microsoft.AspNetCore.Hosting.Server;
using RemoltBlazor.Sandboxes.Docker;
using RemoltBlazor.Web.Proxy;

namespace RemoltBlazor.Web.Auth;

/// <summary>
/// Says once, when the server has bound its addresses, which sign-in mode is in force; in <c>token</c> mode it prints
/// the sign-in URL with the token, as Jupyter does (the operator's way in; the token is in the data folder too).
/// </summary>
internal sealed partial class AuthStartupLog(
    IHostApplicationLifetime lifetime, IServer server, AuthModeResolver modes, LoginToken token, AppsOrigin apps, ILogger<AuthStartupLog> logger) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        lifetime.ApplicationStarted.Register(Report);
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    private void Report()
    {
        var mode = modes.Mode;
        // The apps origin's port serves sandbox content only: no sign-in there.
        var addresses = AuthModeResolver.ListenAddresses(server).Where(a => !apps.IsAppsAddress(a)).ToList();
        LogMode(logger, mode.ToString().ToLowerInvariant(), string.Join(", ", addresses));
        if (mode == AuthMode.Token)
        {
            foreach (var address in addresses)
            {
                LogSignInUrl(logger, $"{Reachable(address, ServerContainer.HasMarkerFile)}/auth/token?token={token.Value}");
            }
        }
    }

    /// <summary>
    /// A wildcard address is not something a browser can open: name this machine instead. In a container that name is
    /// the container id, which no browser outside resolves: say localhost there, which the documented
    /// <c>-p 8080:8080</c> serves on the Docker host (and which the default allowed hosts accept).
    /// </summary>
    internal static string Reachable(string address, bool inContainer)
    {
        var binding = BindingAddress.Parse(address);
        var host = binding.Host is "0.0.0.0" or "[::]" or "+" or "*" ? (inContainer ? "localhost" : Environment.MachineName) : binding.Host;
        return $"{binding.Scheme}://{host}:{binding.Port}{binding.PathBase}";
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Sign-in mode: {Mode} (listening on {Addresses})")]
    private static partial void LogMode(ILogger logger, string mode, string addresses);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Sign in with this URL: {Url}")]
    private static partial void LogSignInUrl(ILogger logger, string url);
}
