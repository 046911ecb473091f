using RemoltBlazor.TestSupport.Kubernetes;

namespace RemoltBlazor.Sandboxes.Tests.Kubernetes;

/// <summary>A fresh fake API server for every test, and the real kubectl pointed at it (its own HOME and cache).</summary>
public abstract class FakeApiServerTestBase(FakeApiServerOptions? options = null) : IAsyncLifetime
{
    protected FakeApiServer Server { get; private set; } = null!;

    protected Kubectl Cli { get; private set; } = null!;

    public virtual async Task InitializeAsync()
    {
        Server = await FakeApiServer.StartAsync(options ?? new FakeApiServerOptions());
        Cli = new Kubectl(Server);
    }

    public virtual async Task DisposeAsync()
    {
        Cli.Dispose();
        await Server.DisposeAsync();
    }
}
