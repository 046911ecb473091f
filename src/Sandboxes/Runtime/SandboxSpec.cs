namespace RemoltBlazor.Sandboxes.Runtime;

/// <summary>What a runtime needs to create one sandbox. <see cref="Env"/> never holds secrets.</summary>
public sealed record SandboxSpec(
    string SessionId,
    string Owner,
    string AgentId,
    string Image,
    IReadOnlyDictionary<string, string> Env)
{
    /// <summary>The app instance (its data folder) that owns the sandbox; the reconciler only touches its own.</summary>
    public string InstanceId { get; init; } = "";

    /// <summary>agent.json's requests and limits; Kubernetes applies them (or its defaults), Docker keeps its own settings.</summary>
    public Agents.AgentResources? Resources { get; init; }
}

/// <summary>A created sandbox: the runtime's id for it (container id, pod name).</summary>
public sealed record SandboxHandle(string SandboxId);

/// <summary>A managed sandbox as the runtime sees it, read back from its labels.</summary>
public sealed record SandboxInfo(string SandboxId, string? SessionId, string? Owner, string? AgentId, bool Running)
{
    public string? InstanceId { get; init; }
}

public sealed record RuntimeProbe(bool Available, string Detail)
{
    /// <summary>What an operator does to make an unavailable runtime answer (each runtime knows its own fix); null when available.</summary>
    public RuntimeRemedy? Remedy { get; init; }
}

/// <summary>A sentence saying what to do, and the commands to run for it, if any (shown as a block to copy).</summary>
public sealed record RuntimeRemedy(string Text, string? Commands = null);

/// <summary>Terminal attach parameters. <see cref="Window"/> 0 is tmux session <c>main</c>, N is <c>main-N</c>.</summary>
public sealed record TerminalAttachOptions(int Window, TerminalSize Size)
{
    /// <summary>Window <paramref name="Window"/> at <see cref="TerminalSize.Default"/>.</summary>
    public TerminalAttachOptions(int Window = 0)
        : this(Window, TerminalSize.Default)
    {
    }

    /// <summary>If set, the attach also captures the history above the screen into this tmux buffer (see <see cref="TmuxCommands"/>).</summary>
    public string? HistoryBuffer { get; init; }

    /// <summary>
    /// A watcher's attach (an admin): the tmux client is read-only and its size is ignored, so it never types into nor
    /// resizes the owner's terminal, and it attaches only to a tmux session that exists (it creates none).
    /// </summary>
    public bool ReadOnly { get; init; }

    public string TmuxSessionName => Window == 0 ? "main" : $"main-{Window}";
}

/// <summary>Output of a non-TTY exec. Output is truncated at the runtime's cap; <see cref="Truncated"/> says so.</summary>
public sealed record ExecResult(int ExitCode, byte[] Stdout, byte[] Stderr, bool Truncated = false);
