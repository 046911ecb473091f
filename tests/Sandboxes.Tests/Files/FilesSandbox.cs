using System.Text;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using RemoltBlazor.Sandboxes.Files;
using RemoltBlazor.Sandboxes.Sessions;
using RemoltBlazor.Sandboxes.Tests.Lifecycle;
using RemoltBlazor.TestSupport;

namespace RemoltBlazor.Sandboxes.Tests.Files;

/// <summary>
/// One session on real Docker for the file API tests (each test works in its own folder of the workspace), with a
/// small text limit so the too-large path is cheap to reach.
/// </summary>
public sealed class FilesSandbox : IAsyncLifetime
{
    public const long MaxTextBytes = 64 * 1024;
    public static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);

    private DockerSessionHost? _host;

    public Session Session { get; private set; } = default!;

    public WorkspaceFiles Files { get; private set; } = default!;

    internal DockerSessionHost Host => _host ?? throw new InvalidOperationException("The fixture did not start.");

    public async Task InitializeAsync()
    {
        if (TestEnvironment.DockerSkipReason is not null)
        {
            return;
        }

        _host = await DockerSessionHost.StartAsync();
        Session = await _host.CreateAsync();
        Files = Create(_host);
    }

    /// <summary>A <see cref="WorkspaceFiles"/> on the host's sessions and runtime, on the real clock (its batching is timed).</summary>
    internal static WorkspaceFiles Create(DockerSessionHost host) => new(
        host.Sessions, host.Runtime, Options.Create(new FilesOptions { MaxTextBytes = MaxTextBytes, MaxUploadBytes = 8 * 1024 * 1024 }),
        TimeProvider.System, NullLogger<WorkspaceFiles>.Instance);

    public async Task DisposeAsync()
    {
        if (_host is not null)
        {
            await _host.DisposeAsync();
        }
    }

    /// <summary>Runs a script as dev in the sandbox; fails the test on a non-zero exit.</summary>
    public Task<string> ShAsync(string script) => ShAsync(Host, Session, script);

    internal static Task<string> ShAsync(DockerSessionHost host, Session session, string script) =>
        SandboxShell.RunAsync(host.Runtime, session.SandboxId!, script);

    /// <summary>A fresh folder in the workspace for one test: <c>name</c> (no leading slash).</summary>
    public async Task<string> FolderAsync(string name)
    {
        await ShAsync($"rm -rf ~/workspace/{name} && mkdir -p ~/workspace/{name}");
        return name;
    }
}
