using System.Collections.Concurrent;
using RemoltBlazor.Sandboxes.Agents;

namespace RemoltBlazor.TestSupport;

/// <summary>
/// An agent's own image (<c>remolt-&lt;id&gt;</c>, FROM <see cref="SandboxImage"/>), built by
/// <c>container/build-images.sh --test-base --agent ID</c> at most once per process and agent; the script skips it
/// when its content hash (agent.json, install.sh, Dockerfile.agent, base image id) is unchanged.
/// </summary>
public static class AgentImage
{
    private static readonly ConcurrentDictionary<string, Lazy<Task<string>>> s_builds = new(StringComparer.Ordinal);

    public static string NameFor(string agentId) => AgentImages.DefaultFor(agentId);

    public static Task<string> EnsureBuiltAsync(string agentId)
    {
        var build = s_builds.GetOrAdd(agentId, id => new Lazy<Task<string>>(() => Task.Run(async () =>
        {
            await ImageBuildScript.RunCheckedAsync(["--agent", id], new Dictionary<string, string> { [AgentImages.VariableFor(id)] = NameFor(id) });
            return NameFor(id);
        })));
        var task = build.Value;
        if (task.IsFaulted || task.IsCanceled)
        {
            // A failed build is not cached for ever: the next caller tries again.
            s_builds.TryRemove(new KeyValuePair<string, Lazy<Task<string>>>(agentId, build));
        }

        return task;
    }
}
