using Microsoft.Extensions.Logging;

namespace RemoltBlazor.Sandboxes.Local.Limits;

/// <summary>
/// Picks the best way the host offers to hold each local session to its limits, in this order: a cgroup v2 subtree
/// the server may write (the parent of its own group, the usual delegation), then writable cgroup v1 hierarchies,
/// else none, saying why. Every group goes under a <c>remolt</c> directory, so nothing else in the tree is touched.
/// </summary>
internal static class SandboxCgroups
{
    private static readonly string[] s_wanted = ["memory", "cpu", "pids"];

    public static ISandboxCgroups Detect(ILogger logger) => Detect(logger, CgroupHost.Current);

    public static ISandboxCgroups Detect(ILogger logger, CgroupHost host)
    {
        var mounts = host.Mounts();
        var notes = new List<string>();
        var groups = (ISandboxCgroups?)TryCgroup2(host, mounts, notes) ?? (ISandboxCgroups?)TryCgroup1(host, mounts, notes) ?? None(host, mounts, notes);
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
