using RemoltBlazor.Sandboxes.Runtime;

namespace RemoltBlazor.Web.Proxy;

/// <summary>
/// Tells "VS Code is still starting" from "this sandbox image has no code-server" (an image built with
/// <c>--test-base</c> or <c>--no-code-server</c>), so the VS Code tab does not spin for ever.
/// </summary>
internal sealed class CodeServerProbe(ISandboxRuntime runtime, ILogger<CodeServerProbe> logger)
{
    private static readonly TimeSpan s_timeout = TimeSpan.FromSeconds(5);

    /// <summary>False only when the sandbox answered that code-server is not there; any doubt counts as installed.</summary>
    public async Task<bool> IsInstalledAsync(string sandboxId, CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(s_timeout);
        try
        {
            // A login shell: code-server may live under ~/.local/bin, which only profile.d puts on PATH.
            var result = await runtime.ExecAsync(sandboxId, ["bash", "-lc", "command -v code-server >/dev/null"], ReadOnlyMemory<byte>.Empty, timeout.Token);
            return result.ExitCode == 0;
        }
        catch (Exception ex) when (ex is SandboxRuntimeException or OperationCanceledException && !cancellationToken.IsCancellationRequested)
        {
            logger.LogDebug(ex, "Could not check for code-server in {Sandbox}", sandboxId);
            return true;
        }
    }
}
