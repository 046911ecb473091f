using System.Diagnostics;
using Microsoft.Extensions.Logging;
using RemoltBlazor.Sandboxes.Local.Limits;
using RemoltBlazor.Sandboxes.Runtime;

namespace RemoltBlazor.Sandboxes.Local;

/// <summary>
/// The session folders and the bubblewrap processes behind them: create, find, list, stop and remove. A sandbox is
/// running while the process its record names (pid, start time, boot id) lives; after a host reboot or a dead init it
/// is listed not running, and the session above ends as lost.
/// </summary>
internal sealed class LocalSandboxes
{
    private readonly LocalOptions _options;
    private readonly IReadOnlyList<string> _hidden;
    private readonly ILogger _logger;
    private readonly Lazy<bool> _lib;
    private readonly ISandboxCgroups _cgroups;

    public LocalSandboxes(LocalOptions options, IEnumerable<string> hiddenFolders, ISandboxCgroups cgroups, ILogger logger)
    {
        _options = options;
        _cgroups = cgroups;
        _logger = logger;
        var home = Environment.GetFolderPath(Environment.SpecialFolder.UserProfile);
        _hidden = [Path.GetFullPath(options.DataDirectory), Path.TrimEndingDirectorySeparator(AppContext.BaseDirectory), "/root",
            .. string.IsNullOrEmpty(home) ? [] : new[] { home }, .. hiddenFolders.Select(Path.GetFullPath)];
        _lib = new Lazy<bool>(() =>
        {
            LocalLib.Write(_options.LibFolder);
            return true;
        });
    }

    public CgroupSupport Limits => _cgroups.Support;

    public bool IsRoot => LocalNative.EffectiveUid == 0;

    /// <summary>The host uid sandboxes run as: REMOLT_LOCAL_UID under a root server, else the server's own.</summary>
    public int HostUid => IsRoot ? _options.Uid : (int)LocalNative.EffectiveUid;

    /// <summary>The uid the sandbox's files must belong to, when the server (root) has to hand them over; else null.</summary>
    public int? ChownTo => IsRoot ? _options.Uid : null;

    /// <summary>Folders every sandbox has hidden (the agents' installs hide the same).</summary>
    public IReadOnlyList<string> Hidden => _hidden;

    /// <summary>Writes the helper files sandboxes bind, once per server.</summary>
    public void EnsureLib() => _ = _lib.Value;

    /// <param name="toolFolder">The agent's installed tools to bind read-only, or null.</param>
    public async Task<SandboxHandle> CreateAsync(SandboxSpec spec, string? toolFolder, CancellationToken cancellationToken)
    {
        if (!LocalSandboxFolder.IsWellFormedSessionId(spec.SessionId))
        {
            throw new ArgumentException($"Session id '{spec.SessionId}' cannot name a sandbox folder: use letters, digits, '_', '.', '-' (at most 64).", nameof(spec));
        }

        cancellationToken.ThrowIfCancellationRequested();
        EnsureLib();
        var folder = LocalSandboxFolder.For(_options.SandboxesFolder, LocalSandboxFolder.IdFor(spec.SessionId))!;
        if (!folder.TryCreate(HostUid, IsRoot, Passwd(), Group(), LocalLib.Profile()))
        {
            throw new SandboxRuntimeException($"A sandbox for session {spec.SessionId} already exists ({folder.Path}).");
        }

        try
        {
            var hostname = LocalRuntime.NewHostname();
            var args = LocalSandboxCommand.Arguments(folder, _options.LibFolder, hostname, _options.IsolatedNetwork, ChownTo, _hidden, spec.Env, toolFolder);
            var cgroup = await _cgroups.CreateAsync(folder.SandboxId, new SandboxLimits(_options.MemoryMb * 1024L * 1024, _options.Cpus, _options.PidsLimit), cancellationToken);
            var pid = await LocalSandboxLauncher.StartAsync(folder, args, cgroup);
            var startTime = LocalProcesses.StartTime(pid) ?? throw new SandboxRuntimeException($"The sandbox of session {spec.SessionId} exited at once: {LocalSandboxLauncher.LogTail(folder)}");
            var state = new LocalSandboxState(spec.SessionId, spec.Owner, spec.AgentId, spec.InstanceId, hostname, pid, startTime, LocalProcesses.BootId());
            state.Write(folder.StateFile);
            await LocalSandboxLauncher.WaitReadyAsync(folder, state, cancellationToken);
            cancellationToken.ThrowIfCancellationRequested();
            return new SandboxHandle(folder.SandboxId);
        }
        catch
        {
            await DeleteAsync(folder);
            throw;
        }
    }

    public async Task RemoveAsync(string sandboxId, CancellationToken cancellationToken)
    {
        if (LocalSandboxFolder.For(_options.SandboxesFolder, sandboxId) is { } folder && Directory.Exists(folder.Path))
        {
            await DeleteAsync(folder);
        }
    }

    public IReadOnlyList<SandboxInfo> List()
    {
        if (!Directory.Exists(_options.SandboxesFolder))
        {
            return [];
        }

        return [.. Directory.EnumerateDirectories(_options.SandboxesFolder)
            .Select(path => LocalSandboxFolder.For(_options.SandboxesFolder, Path.GetFileName(path)))
            .Select(folder => (Folder: folder, State: folder?.ReadState()))
            .Where(s => s.State is not null)
            .Select(s => new SandboxInfo(s.Folder!.SandboxId, s.State!.SessionId, s.State.Owner, s.State.AgentId, IsRunning(s.State))
            {
                InstanceId = s.State.InstanceId.Length > 0 ? s.State.InstanceId : null,
            })];
    }

    /// <exception cref="SandboxNotFoundException">No such sandbox.</exception>
    public (LocalSandboxFolder Folder, LocalSandboxState State) Find(string sandboxId) =>
        LocalSandboxFolder.For(_options.SandboxesFolder, sandboxId) is { } folder && folder.ReadState() is { } state
            ? (folder, state)
            : throw new SandboxNotFoundException($"No sandbox {sandboxId}.");

    /// <exception cref="SandboxNotFoundException">No such sandbox.</exception>
    /// <exception cref="SandboxRuntimeException">It exists but is not running.</exception>
    public (LocalSandboxFolder Folder, LocalSandboxState State) FindRunning(string sandboxId)
    {
        var found = Find(sandboxId);
        return IsRunning(found.State) ? found : throw new SandboxRuntimeException($"Sandbox {sandboxId} is not running.");
    }

    public SandboxStats? ReadStats(string sandboxId)
    {
        if (LocalSandboxFolder.For(_options.SandboxesFolder, sandboxId)?.ReadState() is not { } state || !IsRunning(state))
        {
            return null;
        }

        // The group counts what exited too; without one (no cgroup support) the live process tree is what there is.
        if (_cgroups.Open(sandboxId)?.ReadStats() is { } counted)
        {
            return new SandboxStats(counted.CpuTime, counted.MemoryBytes, counted.MemoryLimitBytes, 0, 0);
        }

        var (cpu, memory) = LocalProcesses.Usage(LocalProcesses.Tree(state.Pid));
        return new SandboxStats(cpu, memory, null, 0, 0);
    }

    /// <summary>Kills every process of the sandbox, keeping its folder (a stopped sandbox, as after a host reboot).</summary>
    public void Stop(string sandboxId)
    {
        if (LocalSandboxFolder.For(_options.SandboxesFolder, sandboxId)?.ReadState() is { } state)
        {
            Kill(state);
        }
    }

    internal static bool IsRunning(LocalSandboxState state) => LocalProcesses.IsAlive(state.Pid, state.StartTime, state.BootId);

    private static void Kill(LocalSandboxState state)
    {
        if (!IsRunning(state))
        {
            return;
        }

        // The outer bwrap and all below it; the inner one is the PID namespace's init, whose death takes the rest.
        foreach (var pid in LocalProcesses.Tree(state.Pid))
        {
            try
            {
                using var process = Process.GetProcessById(pid);
                process.Kill();
            }
            catch (Exception ex) when (ex is ArgumentException or InvalidOperationException or System.ComponentModel.Win32Exception)
            {
                // Gone already.
            }
        }

        for (var i = 0; i < 200 && IsRunning(state); i++)
        {
            Thread.Sleep(10);
        }
    }

    private async Task DeleteAsync(LocalSandboxFolder folder)
    {
        if (folder.ReadState() is { } state)
        {
            Kill(state);
        }

        // What escaped the process tree (a daemon of the sandbox's reparented outside it cannot, but be sure) dies with the group.
        if (_cgroups.Open(folder.SandboxId) is { } cgroup)
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
            await cgroup.RemoveAsync(timeout.Token);
        }

        try
        {
            Directory.Delete(folder.Path, recursive: true);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // The sandbox may have made folders it cannot write (chmod 500): give them back, without following links.
            _logger.LogInformation("Removing {Folder} needed write access first: {Reason}", folder.Path, ex.Message);
            foreach (var dir in Directory.EnumerateDirectories(folder.Path, "*", new EnumerationOptions { RecurseSubdirectories = true, AttributesToSkip = FileAttributes.ReparsePoint }))
            {
                LocalNative.Chmod(dir, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
            }

            Directory.Delete(folder.Path, recursive: true);
        }
    }

    internal static string Passwd() =>
        "root:x:0:0:root:/root:/usr/sbin/nologin\ndev:x:1000:1000:Remolt Dev:/home/dev:/bin/bash\nnobody:x:65534:65534:nobody:/nonexistent:/usr/sbin/nologin\n";

    internal static string Group() => "root:x:0:\ndev:x:1000:\nnogroup:x:65534:\n";
}
