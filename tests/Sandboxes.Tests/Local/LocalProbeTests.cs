using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using RemoltBlazor.Sandboxes.Local;
using RemoltBlazor.TestSupport;

namespace RemoltBlazor.Sandboxes.Tests.Local;

/// <summary>The probe says what stops local sandboxes on this machine, and how to fix it.</summary>
public sealed class LocalProbeTests : IDisposable
{
    private readonly string _data = $"/var/tmp/remolt-local-probe-{Guid.NewGuid():N}";

    [LocalFact]
    public async Task ProbeAsync_RootServer_DataFolderClosedToTheSandboxUid_IsUnavailableNamingTheChmod()
    {
        if (Environment.UserName != "root")
        {
            return; // Only a root server drops to another uid.
        }

        Directory.CreateDirectory(_data);
        LocalNative.Chmod(_data, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        var runtime = new LocalRuntime(Options.Create(new LocalOptions { DataDirectory = _data }), NullLoggerFactory.Instance);

        var closed = await runtime.ProbeAsync(CancellationToken.None);
        LocalNative.Chmod(_data, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute | UnixFileMode.OtherExecute);
        var open = await runtime.ProbeAsync(CancellationToken.None);

        closed.Available.ShouldBeFalse();
        closed.Detail.ShouldContain("cannot reach");
        closed.Remedy.ShouldNotBeNull().Commands.ShouldNotBeNull().ShouldContain($"chmod o+x /var {Path.GetDirectoryName(_data)} {_data} {_data}/sandboxes");
        open.Available.ShouldBeTrue(open.Detail);
        open.Detail.ShouldContain("the host's network");
    }

    public void Dispose()
    {
        if (Directory.Exists(_data))
        {
            Directory.Delete(_data, recursive: true);
        }
    }
}
