using RemoltBlazor.Sandboxes.Docker;
using RemoltBlazor.Sandboxes.Runtime;

namespace RemoltBlazor.Sandboxes.Tests.Docker;

/// <summary>
/// One test's runtime on the real engine and the session ids it hands out; disposing removes, by label, every
/// container and network of those sessions (whatever state the test left them in), then the runtime.
/// </summary>
internal sealed class DockerTestRuntime : IAsyncDisposable
{
    private readonly DockerEngine _engine;
    private readonly List<string> _sessionIds = [];

    /// <param name="subnetPool">A pool of the test's own; by default the tests' shared one (never the app's).</param>
    /// <param name="socketPath">Another socket than the real engine's (to test a dead daemon).</param>
    /// <param name="options">Changes to the test settings (limits the test is about).</param>
    public DockerTestRuntime(string? subnetPool = null, string? socketPath = null, Action<DockerOptions>? options = null)
    {
        _engine = socketPath is null ? DockerTestEngine.Engine() : new DockerEngine(socketPath);
        var settings = DockerTestEngine.Options(subnetPool);
        options?.Invoke(settings);
        Runtime = DockerTestEngine.Runtime(_engine, settings);
        SessionId = NewSessionId();
    }

    public DockerRuntime Runtime { get; }

    /// <summary>The instance label of what <see cref="CreateAsync"/> makes: this test run's, so a leftover is found.</summary>
    public string InstanceId { get; } = TestSupport.TestRun.NewInstanceId();

    /// <summary>The first session id; <see cref="NewSessionId"/> gives more, cleaned up alike.</summary>
    public string SessionId { get; }

    public string NewSessionId()
    {
        var id = DockerTestEngine.NewSessionId();
        _sessionIds.Add(id);
        return id;
    }

    /// <summary>Creates the sandbox of <see cref="SessionId"/> from the test image.</summary>
    public async Task<SandboxHandle> CreateAsync(string owner = "bob", string agent = "shell", Dictionary<string, string>? env = null)
    {
        var image = await DockerTestEngine.ImageAsync();
        return await Runtime.CreateAsync(new SandboxSpec(SessionId, owner, agent, image, env ?? []) { InstanceId = InstanceId }, CancellationToken.None)
            .WaitAsync(DockerTestEngine.Timeout);
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            if (TestSupport.TestEnvironment.DockerSkipReason is null)
            {
                foreach (var id in _sessionIds)
                {
                    await DockerTestEngine.CleanUpSessionAsync(id);
                }
            }
        }
        finally
        {
            Runtime.Dispose();
            _engine.Dispose();
        }
    }
}
