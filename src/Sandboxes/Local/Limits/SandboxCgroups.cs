using Microsoft.Extensions.Logging;

namespace RemoltBlazor.Sandboxes.Local.Limits;

/// <summary>
/// Picks the best way the host offers to hold each local session to its limits, in this order: systemd scopes (when
/// systemd is PID 1, answers and runs a pure cgroup v2 tree: it owns that tree), a cgroup v2 subtree the server may
/// write (the parent of its own group, the usual delegation), writable cgroup v1 hierarchies, else none, saying why. Every group goes under a <c>remolt</c> directory, so nothing else in the tree is touched.
/// </summary>
internal static class SandboxCgroups
{
    private static readonly string[] s_wanted = ["memory", "cpu", "pids"];
    private static readonly TimeSpan s_systemdTimeout = TimeSpan.FromSeconds(5);

    // What `systemctl is-system-running` prints when a manager answers; "offline" and "unknown" mean none does.
    private static readonly HashSet<string> s_systemdStates = ["initializing", "starting", "running", "degraded", "maintenance", "stopping"];

    public static ISandboxCgroups Detect(ILogger logger) => Detect(logger, CgroupHost.Current);

    public static ISandboxCgroups Detect(ILogger logger, CgroupHost host)
    {
        var mounts = host.Mounts();
        var notes = new List<string>();
        var groups = (ISandboxCgroups?)TrySystemd(host, mounts, notes)
            ?? (ISandboxCgroups?)TryCgroup2(host, mounts, notes) ?? (ISandboxCgroups?)TryCgroup1(host, mounts, notes) ?? None(host, mounts, notes);
        if (groups.Support.Enforced)
        {
            logger.LogInformation("Local sandbox limits through {Mechanism}: {Detail}", groups.Support.Mechanism, groups.Support.Detail);
        }
        else
        {
            logger.LogWarning("Local sandbox limits are not enforced: {Detail}", groups.Support.Detail);
        }

        foreach (var note in notes)
        {
            logger.LogDebug("Sandbox limits detection: {Note}", note);
        }

        return groups;
    }

    private static SystemdGroups? TrySystemd(CgroupHost host, IReadOnlyList<CgroupMount> mounts, List<string> notes)
    {
        if (host.InitCommand != "systemd")
        {
            notes.Add($"PID 1 is '{host.InitCommand}', not systemd");
            return null;
        }

        var unified = mounts.FirstOrDefault(m => m.Unified);
        var rootControllers = unified is null ? "" : CgroupFiles.Read(Path.Combine(unified.MountPoint, "cgroup.controllers")) ?? "";
        if (unified is null || !rootControllers.Split((char[])[' ', '\n']).Contains("memory"))
        {
            notes.Add("systemd is PID 1 on a cgroup v1 or hybrid tree: its scopes' limits would not be in the v2 files read");
            return null;
        }

        var user = host.UserId != 0;
        string[] arguments = user ? ["--user", "is-system-running"] : ["is-system-running"];
        var state = HostCommand.RunAsync("systemctl", arguments, s_systemdTimeout, CancellationToken.None).GetAwaiter().GetResult();
        var answer = state?.Output.Trim() ?? "";
        if (!s_systemdStates.Contains(answer))
        {
            notes.Add($"systemd is PID 1 but systemctl {string.Join(' ', arguments)} does not answer ({(answer.Length > 0 ? answer : "no answer")})");
            return null;
        }

        var how = user ? "systemd-run --user --scope" : "systemd-run --scope";
        return new SystemdGroups(user, unified, new CgroupSupport(true, "systemd", $"memory, CPU, pids limits enforced through systemd scopes ({how})"));
    }

    private static Cgroup2Groups? TryCgroup2(CgroupHost host, IReadOnlyList<CgroupMount> mounts, List<string> notes)
    {
        var mount = mounts.FirstOrDefault(m => m.Unified);
        var own = mount is null ? null : host.OwnPath(mount);
        if (mount is null || own is null)
        {
            notes.Add("no cgroup v2 hierarchy is mounted");
            return null;
        }

        // The server's own group cannot both hold processes and give controllers to children (v2's no-internal-process
        // rule), so groups go beside it, under its parent; the root is exempt from that rule.
        var delegated = own == "/" ? own : Path.GetDirectoryName(own)!;
        var delegatedDirectory = mount.DirectoryOf(delegated);
        var enabled = (CgroupFiles.Read(Path.Combine(delegatedDirectory, "cgroup.subtree_control")) ?? "")
            .Split((char[])[' ', '\n'], StringSplitOptions.RemoveEmptyEntries).ToHashSet();
        var controllers = s_wanted.Where(enabled.Contains).ToHashSet();
        if (controllers.Count == 0)
        {
            notes.Add($"cgroup v2 at {delegatedDirectory} gives its children none of memory, cpu, pids (cgroup.subtree_control)");
            return null;
        }

        var parent = Path.Combine(delegatedDirectory, CgroupHost.ParentName);
        if (!CgroupFiles.TryCreateDirectory(parent, out var failure))
        {
            notes.Add($"cgroup v2 at {delegatedDirectory} is not writable by uid {host.UserId}: {failure}");
            return null;
        }

        try
        {
            CgroupFiles.Write(Path.Combine(parent, "cgroup.subtree_control"), string.Join(' ', controllers.Select(c => "+" + c)));
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            notes.Add($"enabling {string.Join(", ", controllers)} in {parent} failed: {ex.Message}");
            return null;
        }

        return new Cgroup2Groups(parent, controllers,
            new CgroupSupport(true, "cgroup2", $"{Enforced(controllers)} enforced through cgroup v2 under {parent}{Missing(controllers)}"));
    }

    private static Cgroup1Groups? TryCgroup1(CgroupHost host, IReadOnlyList<CgroupMount> mounts, List<string> notes)
    {
        var parents = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var controller in (string[])[.. s_wanted, Cgroup1Groups.CpuAccounting])
        {
            var mount = mounts.FirstOrDefault(m => !m.Unified && m.Controllers.Contains(controller));
            var own = mount is null ? null : host.OwnPath(mount);
            if (mount is null || own is null)
            {
                notes.Add($"no cgroup v1 {controller} hierarchy is mounted");
                continue;
            }

            var parent = Path.Combine(mount.DirectoryOf(own), CgroupHost.ParentName);
            if (CgroupFiles.TryCreateDirectory(parent, out var failure))
            {
                parents[controller] = parent;
            }
            else
            {
                notes.Add($"cgroup v1 {controller} at {parent} is not writable by uid {host.UserId}: {failure}");
            }
        }

        var controllers = s_wanted.Where(parents.ContainsKey).ToHashSet();
        if (controllers.Count == 0)
        {
            return null;
        }

        var where = string.Join(", ", parents.Values.Distinct());
        return new Cgroup1Groups(parents,
            new CgroupSupport(true, "cgroup1", $"{Enforced(controllers)} enforced through cgroup v1 under {where}{Missing(controllers)}"));
    }

    private static UnenforcedGroups None(CgroupHost host, IReadOnlyList<CgroupMount> mounts, List<string> notes)
    {
        var reason = mounts.Count == 0
            ? "no cgroup filesystem is mounted: limits are not enforced"
            : notes.Any(note => note.Contains("not writable", StringComparison.Ordinal))
                ? $"cgroups are not writable by uid {host.UserId}: limits are not enforced"
                : "no writable cgroup offers memory, cpu or pids control: limits are not enforced";
        return new UnenforcedGroups(new CgroupSupport(false, "none", reason));
    }

    private static string Enforced(IReadOnlySet<string> controllers) =>
        string.Join(", ", s_wanted.Where(controllers.Contains).Select(Label)) + (controllers.Count == 1 ? " limit" : " limits");

    private static string Missing(IReadOnlySet<string> controllers) =>
        s_wanted.Where(c => !controllers.Contains(c)).Select(Label).ToList() is { Count: > 0 } missing
            ? $" (no {string.Join(" or ", missing)} limit: the host does not offer it)"
            : "";

    private static string Label(string controller) => controller switch
    {
        "cpu" => "CPU",
        _ => controller,
    };
}
