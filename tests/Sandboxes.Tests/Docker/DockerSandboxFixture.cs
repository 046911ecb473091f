using RemoltBlazor.Sandboxes.Docker;
using RemoltBlazor.TestSupport;

namespace RemoltBlazor.Sandboxes.Tests.Docker;

/// <summary>One running sandbox shared by the terminal and exec tests of a class; each test uses its own tmux window.</summary>
public sealed class DockerSandboxFixture : IAsyncLifetime
{
    private DockerTestRuntime? _docker;

    public string SessionId => _docker?.SessionId ?? "";

    internal DockerRuntime Runtime => _docker?.Runtime ?? throw new InvalidOperationException("The fixture did not start.");

    public string SandboxId { get; private set; } = "";

    public async Task InitializeAsync()
    {
        if (TestEnvironment.DockerSkipReason is not null)
        {
            return;
        }

        _docker = new DockerTestRuntime();
        var handle = await _docker.CreateAsync("tester", "shell", new Dictionary<string, string> { ["REMOLT_TEST"] = "1" });
        SandboxId = handle.SandboxId;
    }

    public async Task DisposeAsync()
    {
        if (_docker is not null)
        {
            await _docker.DisposeAsync();
        }
    }
}
