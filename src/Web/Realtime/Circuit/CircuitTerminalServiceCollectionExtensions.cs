using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using RemoltBlazor.Sandboxes.Metrics;
using RemoltBlazor.Sandboxes.Terminals;
using RemoltBlazor.Web.Operations;

namespace RemoltBlazor.Web.Realtime.Circuit;

internal static class CircuitTerminalServiceCollectionExtensions
{
    /// <summary>
    /// Registers <see cref="CircuitTerminalService"/> per circuit (scoped). Needs an
    /// <see cref="Sandboxes.Terminals.ITerminalAttacher"/> registered elsewhere.
    /// </summary>
    public static IServiceCollection AddCircuitTerminals(this IServiceCollection services)
    {
        // The circuit's attaches are counted as such (admin watches as admin): the attacher itself cannot tell.
        services.AddScoped(sp => new CircuitTerminalService(
            new CountedTerminalAttacher(sp.GetRequiredService<ITerminalAttacher>(), sp.GetRequiredService<RemoltMetrics>(), RemoltMetrics.Transports.Circuit),
            sp.GetRequiredService<ILogger<CircuitTerminalService>>()));
        services.AddScoped<CircuitConnectionTracker>();
        services.AddScoped<Microsoft.AspNetCore.Components.Server.Circuits.CircuitHandler>(sp => sp.GetRequiredService<CircuitConnectionTracker>());
        return services;
    }
}
