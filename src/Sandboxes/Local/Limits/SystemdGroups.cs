using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;

namespace RemoltBlazor.Sandboxes.Local.Limits;

/// <summary>
/// Groups as systemd scopes, for hosts whose cgroup tree systemd owns (it may undo groups it did not make):
/// <c>systemd-run [--user] --scope --unit=remolt-NAME -p MemoryMax=... -- sleep infinity</c> creates the scope with its
/// limits around a holder process that keeps it alive while the session's processes come and go; with
/// <c>Delegate=yes</c> the server may move processes into the scope's cgroup (v2) itself. Stats, kill and removal are
/// then plain cgroup v2 on that directory; systemd collects the scope once it is empty.
/// </summary>
internal sealed class SystemdGroups : ISandboxCgroups
{
    private static readonly TimeSpan s_commandTimeout = TimeSpan.FromSeconds(10);
    private static readonly TimeSpan s_scopeTimeout = TimeSpan.FromSeconds(10);

    private static readonly string[] s_holderEnvironment = ["PATH", "HOME", "USER", "LANG", "XDG_RUNTIME_DIR", "DBUS_SESSION_BUS_ADDRESS"];

    private readonly bool _user;
    private readonly CgroupMount _unified;
    private readonly ConcurrentDictionary<string, Process> _holders = new(StringComparer.Ordinal);

    public SystemdGroups(bool user, CgroupMount unified, CgroupSupport support)
    {
        _user = user;
        _unified = unified;
        Support = support;
    }

    public CgroupSupport Support { get; }

    public static string UnitName(string name) => $"{CgroupHost.ParentName}-{name}.scope";

    /// <summary>The unit properties for <paramref name="limits"/>; "infinity" or empty resets a limit that is not set.</summary>
    public static IReadOnlyList<string> Properties(SandboxLimits limits) =>
    [
        $"MemoryMax={limits.MemoryBytes?.ToString(CultureInfo.InvariantCulture) ?? "infinity"}",
        $"MemorySwapMax={(limits.MemoryBytes is null ? "infinity" : "0")}",
        $"CPUQuota={(limits.Cpus is { } cpus ? $"{Math.Max(1, (int)Math.Round(cpus * 100))}%" : "")}",
        $"TasksMax={limits.Pids?.ToString(CultureInfo.InvariantCulture) ?? "infinity"}",
    ];

    public static IReadOnlyList<string> RunArguments(string name, SandboxLimits limits, bool user) =>
    [
        .. user ? ["--user"] : Array.Empty<string>(),
        "--scope", "--quiet", "--collect", $"--unit={UnitName(name)}", "--property=Delegate=yes",
        .. Properties(limits).Select(property => $"--property={property}"),
        "--", "sleep", "infinity",
    ];

    public async Task<ISandboxCgroup> CreateAsync(string name, SandboxLimits limits, CancellationToken cancellationToken)
    {
        if (Open(CgroupFiles.ValidateName(name)) is { } existing)
        {
            var set = await HostCommand.RunAsync("systemctl",
                [.. UserFlag, "set-property", "--runtime", UnitName(name), .. Properties(limits)], s_commandTimeout, cancellationToken);
            return set?.ExitCode == 0 ? existing : throw new IOException($"systemctl set-property {UnitName(name)} failed: {set?.Errors}");
        }

        var start = new ProcessStartInfo("systemd-run") { UseShellExecute = false, RedirectStandardError = true };
        foreach (var argument in RunArguments(name, limits, _user))
        {
            start.ArgumentList.Add(argument);
        }

        // The holder outlives this call (and the server): it keeps only what systemd-run needs to find its manager,
        // none of the server's own variables (which may hold secrets).
        foreach (var variable in start.Environment.Keys.Except(s_holderEnvironment, StringComparer.Ordinal).ToList())
        {
            start.Environment.Remove(variable);
        }

        // systemd-run puts itself into the new scope and then execs the holder: once the pid's cgroup is the scope's,
        // the scope exists with its limits.
        var holder = Process.Start(start)!;
        var errors = holder.StandardError.ReadToEndAsync(CancellationToken.None);
        var deadline = Stopwatch.StartNew();
        try
        {
            while (ScopePath(holder.Id) is not { } path || !path.EndsWith("/" + UnitName(name), StringComparison.Ordinal))
            {
                if (holder.HasExited || deadline.Elapsed > s_scopeTimeout)
                {
                    throw new IOException($"systemd-run could not create {UnitName(name)}: {await StopAsync(holder, errors)}");
                }

                await Task.Delay(20, cancellationToken);
            }
        }
        catch (OperationCanceledException)
        {
            await StopAsync(holder, errors);
            throw;
        }

        _holders[name] = holder;
        return new SystemdGroup(new Cgroup2Group(name, _unified.DirectoryOf(ScopePath(holder.Id)!)), this);
    }

    public ISandboxCgroup? Open(string name)
    {
        // A sync seam (reclaim after a restart); systemctl show answers in milliseconds.
        var show = HostCommand.RunAsync("systemctl", [.. UserFlag, "show", "--property=ControlGroup", "--value", UnitName(CgroupFiles.ValidateName(name))],
            s_commandTimeout, CancellationToken.None).GetAwaiter().GetResult();
        var path = show?.ExitCode == 0 ? show.Output.Trim() : "";
        return path.Length > 0 && Directory.Exists(_unified.DirectoryOf(path))
            ? new SystemdGroup(new Cgroup2Group(name, _unified.DirectoryOf(path)), this)
            : null;
    }

    private IEnumerable<string> UserFlag => _user ? ["--user"] : [];

    private void Release(string name)
    {
        if (_holders.TryRemove(name, out var holder))
        {
            holder.Dispose();
        }
    }

    /// <summary>Ends a holder whose scope did not come up; returns what systemd-run said.</summary>
    private static async Task<string> StopAsync(Process holder, Task<string> errors)
    {
        using (holder)
        {
            if (!holder.HasExited)
            {
                holder.Kill();
            }

            await holder.WaitForExitAsync(CancellationToken.None);
            return (await errors).Trim();
        }
    }

    private static string? ScopePath(int pid) =>
        (CgroupFiles.Read($"/proc/{pid}/cgroup") ?? "").Split('\n').FirstOrDefault(line => line.StartsWith("0::", StringComparison.Ordinal))?[3..];

    /// <summary>The scope's cgroup, releasing the holder's Process once the group is removed (the kill ended it).</summary>
    private sealed class SystemdGroup(Cgroup2Group group, SystemdGroups owner) : ISandboxCgroup
    {
        public string Name => group.Name;

        public void Add(int pid) => group.Add(pid);

        public SandboxCgroupStats? ReadStats() => group.ReadStats();

        public IReadOnlyList<int> ProcessIds() => group.ProcessIds();

        public Task KillAllAsync(CancellationToken cancellationToken) => group.KillAllAsync(cancellationToken);

        public async Task RemoveAsync(CancellationToken cancellationToken)
        {
            await group.RemoveAsync(cancellationToken);
            owner.Release(Name);
        }
    }
}
