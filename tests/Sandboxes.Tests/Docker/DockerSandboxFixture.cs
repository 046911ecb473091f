using RemoltBlazor.Sandboxes.Docker;
using RemoltBlazor.Sandboxes.Docker.Engine;
using RemoltBlazor.Sandboxes.Runtime;
using RemoltBlazor.TestSupport;

namespace RemoltBlazor.Sandboxes.Tests.Docker;

/// <summary>One running sandbox shared by the terminal and exec tests of a class; each test uses its own tmux window.</summary>
public sealed class DockerSandboxFixture : IAsyncLifetime
{
    private DockerEngineClient? _client;
    private DockerRuntime? _runtime;

    public string SessionId { get; } = DockerTestEngine.NewSessionId();

    internal DockerRuntime Runtime => _runtime ?? throw new InvalidOperationException("The fixture did not start.");

    public string SandboxId { get; private set; } = "";

    public async Task InitializeAsync()
    {
        if (TestEnvironment.DockerSkipReason is not null)
        {
            return;
        }

        _client = DockerTestEngine.Client();
        _runtime = DockerTestEngine.Runtime(_client);
        var image = await DockerTestEngine.ImageAsync();
        var handle = await _runtime.CreateAsync(
            new SandboxSpec(SessionId, "tester", "shell", image, new Dictionary<string, string> { ["REMOLT_TEST"] = "1" }) { InstanceId = TestRun.NewInstanceId() },
            CancellationToken.None).WaitAsync(DockerTestEngine.Timeout);
        SandboxId = handle.SandboxId;
    }

    public async Task DisposeAsync()
    {
        if (_runtime is not null)
        {
            await DockerTestEngine.CleanUpSessionAsync(SessionId);
            _runtime.Dispose();
        }

        _client?.Dispose();
    }
}
