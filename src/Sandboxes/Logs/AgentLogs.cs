using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using RemoltBlazor.Sandboxes.Agents;
using RemoltBlazor.Sandboxes.Runtime;
using RemoltBlazor.Sandboxes.Sessions;

namespace RemoltBlazor.Sandboxes.Logs;

/// <summary>
/// The agent's declared log source (agent.json <c>logs</c>), followed as a non-TTY process: a value starting with
/// <c>/</c> or <c>~/</c> is a file, waited for ("Waiting for logs..." every 2 s, as the original) and then followed
/// with <c>tail -F</c>; anything else is a shell command run by <c>bash -lc</c>. The original hard-coded OpenClaw's
/// file (section 12, item 16). The value is passed as an argument, never pasted into the script.
/// </summary>
public sealed partial class AgentLogs(
    ISandboxRuntime runtime,
    IOptions<AgentLogsOptions> options,
    IOptions<SessionOptions> sessionOptions,
    TimeProvider timeProvider,
    ILogger<AgentLogs> logger)
{
    public const string WaitingLine = "Waiting for logs...";

    private const int PollSeconds = 2; // the script's `sleep 2`

    // The source runs in its own process group, so everything it started can be stopped together. Closing the
    // connection ends our stdin (fd 3 below): that stops the group, which a quiet `tail -F` would otherwise outlive.
    private const string Wrapper =
        "exec 3<&0; "
        + "setsid bash -c \"$1\" remolt-logs \"${@:2}\" </dev/null & pid=$!; "
        + "{ cat <&3 >/dev/null; kill -TERM -- -\"$pid\" 2>/dev/null; } & "
        + "wait \"$pid\"";

    private const string FileSource =
        "f=$1; tries=$2; case $f in '~/'*) f=\"$HOME/${f#'~/'}\" ;; esac; i=0; "
        + "while [ ! -e \"$f\" ]; do "
        + "if [ \"$i\" -ge \"$tries\" ]; then echo \"ERROR: Log file never appeared after $3. Agent setup may have failed.\"; exit 1; fi; "
        + "echo '" + WaitingLine + "'; sleep 2; i=$((i+1)); done; "
        + "exec tail -n 200 -F -- \"$f\" 2>&1";

    private const string CommandSource = "exec bash -lc \"$1\" 2>&1";

    public static bool IsFile(string logs) => logs.StartsWith('/') || logs.StartsWith("~/", StringComparison.Ordinal);

    /// <summary>The command that streams <paramref name="logs"/> (a path or a shell command).</summary>
    public static IReadOnlyList<string> Command(string logs, TimeSpan wait)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(logs);
        if (!IsFile(logs))
        {
            return ["bash", "-c", Wrapper, "remolt-logs", CommandSource, logs];
        }

        var tries = Math.Max(1, (int)Math.Ceiling(wait.TotalSeconds / PollSeconds));
        return ["bash", "-c", Wrapper, "remolt-logs", FileSource, logs, tries.ToString(System.Globalization.CultureInfo.InvariantCulture), Describe(wait)];
    }

    /// <summary>Starts following the agent's logs, retrying while a fresh sandbox boots (as a terminal attach does).</summary>
    /// <exception cref="SandboxRuntimeException">The sandbox never accepted the process.</exception>
    public async Task<SandboxProcess> StartAsync(Session session, AgentDefinition agent, CancellationToken cancellationToken)
    {
        var logs = agent.Logs ?? throw new InvalidOperationException($"Agent {agent.Id} declares no logs.");
        var command = Command(logs, TimeSpan.FromSeconds(options.Value.LogsWaitSeconds));
        var settings = sessionOptions.Value;
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                var sandboxId = session.SandboxId ?? throw new SandboxRuntimeException("The session has no sandbox.");
                return await runtime.StartProcessAsync(sandboxId, command, cancellationToken);
            }
            catch (SandboxRuntimeException ex) when (attempt < settings.AttachAttempts && ex is not SandboxNotFoundException)
            {
                LogRetry(logger, session.Id, attempt, ex.Message);
                await Task.Delay(settings.AttachRetryDelay, timeProvider, cancellationToken);
            }
        }
    }

    private static string Describe(TimeSpan wait) =>
        wait.TotalSeconds % 60 == 0 ? $"{wait.TotalMinutes:0} minute{(wait.TotalMinutes == 1 ? "" : "s")}" : $"{wait.TotalSeconds:0} seconds";

    [LoggerMessage(Level = LogLevel.Debug, Message = "Starting the logs of {SessionId} failed (attempt {Attempt}): {Reason}; retrying")]
    private static partial void LogRetry(ILogger logger, string sessionId, int attempt, string reason);
}
