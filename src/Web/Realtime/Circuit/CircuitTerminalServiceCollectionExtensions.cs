using Microsoft.Extensions.DependencyInjection;

namespace RemoltBlazor.Web.Realtime.Circuit;

internal static class CircuitTerminalServiceCollectionExtensions
{
    /// <summary>
    /// Registers <see cref="CircuitTerminalService"/> per circuit (scoped). Needs an
    /// <see cref="Sandboxes.Terminals.ITerminalAttacher"/> registered elsewhere.
    /// </summary>
    public static IServiceCollection AddCircuitTerminals(this IServiceCollection services)
    {
        services.AddScoped<CircuitTerminalService>();
        services.AddScoped<CircuitConnectionTracker>();
        services.AddScoped<Microsoft.AspNetCore.Components.Server.Circuits.CircuitHandler>(sp => sp.GetRequiredService<CircuitConnectionTracker>());
        return services;
    }
}
