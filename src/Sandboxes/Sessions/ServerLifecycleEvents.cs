using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using RemoltBlazor.Data.Events;
using RemoltBlazor.Sandboxes.Runtime;

namespace RemoltBlazor.Sandboxes.Sessions;

/// <summary>Emits the original's <c>server.started</c> and <c>server.stopped</c>. User sandboxes outlive a stop.</summary>
internal sealed class ServerLifecycleEvents(SessionManager sessions, ISandboxRuntime runtime, EventLog events, IOptions<SessionOptions> options) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        var settings = options.Value;
        return events.EmitAsync("server.started", EventFields.Of(
            ("max_sessions", settings.MaxSessions), ("max_idle_s", settings.MaxIdleSeconds), ("backend", runtime.Name), ("warm_pool", settings.WarmPoolSize)));
    }

    public Task StopAsync(CancellationToken cancellationToken) =>
        events.EmitAsync("server.stopped", EventFields.Of(("preserved_sessions", sessions.LiveCount)));
}
