using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using RemoltBlazor.Sandboxes.Local;
using RemoltBlazor.Sandboxes.Local.Limits;
using RemoltBlazor.Sandboxes.Runtime;
using RemoltBlazor.TestSupport;

namespace RemoltBlazor.Sandboxes.Tests.Contract.Local;

/// <summary>
/// The local (bubblewrap) runtime over a data folder of its own. The witnesses are the session folders on disk and
/// the processes /proc shows; cleanup kills every process the folders' records name and deletes the folder.
/// </summary>
public sealed class LocalContractHost : IRuntimeContractHost
{
    private static readonly Lazy<ISandboxCgroups> s_cgroups = new(() => SandboxCgroups.Detect(NullLogger.Instance));
    private LocalRuntime? _runtime;

    public static string? SkipReason => TestEnvironment.LocalSkipReason;

    public ISandboxRuntime Runtime => _runtime ?? throw new InvalidOperationException("The host did not start.");

    internal LocalRuntime LocalRuntime => _runtime ?? throw new InvalidOperationException("The host did not start.");

    public string SandboxImage => "local";

    public string InstanceId { get; } = TestRun.NewInstanceId();

    public bool HasImages => false;

    /// <summary>REMOLT_LOCAL_MEMORY_MB's default, which the sandbox's cgroup must carry.</summary>
    public long? MemoryLimitBytes => new LocalOptions().MemoryMb * 1024L * 1024;

    public string DataFolder { get; } = TestDataFolder.Create("local-contract");

    public Task InitializeAsync()
    {
        Directory.CreateDirectory(DataFolder);
        _runtime = NewRuntime(DataFolder);
        return Task.CompletedTask;
    }

    /// <summary>A runtime over <paramref name="dataFolder"/>: a second one over the same folder is a restarted server.</summary>
    internal static LocalRuntime NewRuntime(string dataFolder, string network = LocalOptions.HostNetwork) =>
        new(Options.Create(new LocalOptions { DataDirectory = dataFolder, Network = network }), NullLoggerFactory.Instance);

    public Task StopSandboxAsync(string sandboxId)
    {
        LocalRuntime.Sandboxes.Stop(sandboxId);
        return Task.CompletedTask;
    }

    public Task<bool> ExistsAsync(string sessionId) =>
        Task.FromResult(Directory.Exists(Path.Combine(DataFolder, "sandboxes", LocalSandboxFolder.IdFor(sessionId))));

    public Task DisposeAsync()
    {
        KillAll(DataFolder);
        TestDataFolder.Delete(DataFolder);
        return Task.CompletedTask;
    }

    /// <summary>Kills what every session folder's record names (its bwrap and all below it) and removes its cgroup.</summary>
    internal static void KillAll(string dataFolder)
    {
        var sandboxes = Path.Combine(dataFolder, "sandboxes");
        if (!Directory.Exists(sandboxes))
        {
            return;
        }

        foreach (var folder in Directory.EnumerateDirectories(sandboxes))
        {
            if (LocalSandboxState.TryRead(Path.Combine(folder, "sandbox.json")) is { } state && LocalProcesses.IsAlive(state.Pid, state.StartTime, state.BootId))
            {
                foreach (var pid in LocalProcesses.Tree(state.Pid))
                {
                    try
                    {
                        using var process = System.Diagnostics.Process.GetProcessById(pid);
                        process.Kill();
                    }
                    catch (Exception ex) when (ex is ArgumentException or InvalidOperationException)
                    {
                        // Gone already.
                    }
                }
            }

            s_cgroups.Value.Open(Path.GetFileName(folder))?.RemoveAsync(CancellationToken.None).GetAwaiter().GetResult();
        }
    }
}
