using Microsoft.Extensions.Logging;
using RemoltBlazor.Data;
using RemoltBlazor.Sandboxes.Agents;
using RemoltBlazor.Sandboxes.Images;
using RemoltBlazor.Sandboxes.Runtime;

namespace RemoltBlazor.Sandboxes.Sessions;

/// <summary>
/// Gets a session its sandbox: a warm one from the pool when the agent allows it, else a new one, and delivers the
/// session's secrets over an exec's stdin (never in the create env or a command line). Runtime failures become the
/// session errors the API reports; whatever was created is reported to the caller first, so it can be undone.
/// </summary>
public sealed partial class SandboxProvisioner(
    ISandboxRuntime runtime,
    AgentCatalog agents,
    WarmPool warmPool,
    InstanceIdentity instance,
    DeferredReconciliation reconciliation,
    SandboxImages images,
    ILogger<SandboxProvisioner> logger)
{
    /// <summary>What a user is told when a session cannot start because the runtime does not answer.</summary>
    public const string EngineNotAnswering = "The sandbox engine is not answering; try again in a moment";

    private const string CredentialsFailed = "Failed to create session: the sandbox did not accept its credentials. Please try again.";

    /// <summary>
    /// Builds the agent's sandbox image when it is missing or outdated, or joins the build another launch started
    /// (<see cref="SandboxImages"/>). A build that fails says which step and what it printed. When the runtime cannot
    /// even be asked, the create that follows reports that as it always did.
    /// </summary>
    internal async Task PrepareImageAsync(string owner, AgentDefinition agent, CancellationToken cancellationToken)
    {
        try
        {
            await images.EnsureReadyAsync(agent, agents.ImageFor(agent), owner, cancellationToken);
        }
        catch (ImageBuildException ex)
        {
            throw new SessionCreateException($"Failed to create session: {ex.Message}", ex);
        }
        catch (SandboxRuntimeException ex)
        {
            // The runtime is away or refused the question: ProvisionAsync reports that in its own words.
            LogPrepareFailed(logger, agent.Id, ex);
        }
    }

    /// <param name="recordSandbox">Told the sandbox id as soon as one exists (null when a claimed one is given up).</param>
    internal async Task ProvisionAsync(
        Session session,
        AgentDefinition agent,
        IReadOnlyDictionary<string, string> plainEnv,
        IReadOnlyDictionary<string, string> secrets,
        Func<string?, Task> recordSandbox,
        CancellationToken cancellationToken)
    {
        if (reconciliation.Pending)
        {
            // The runtime was away at start and the sessions from before are not taken back yet (within seconds of
            // the runtime answering again).
            var probe = await runtime.ProbeAsync(cancellationToken);
            throw new SessionRuntimeUnavailableException(
                $"{EngineNotAnswering} ({(probe.Available ? "sessions from before the restart are being recovered" : probe.Detail.TrimEnd('.', ' '))})");
        }

        var spec = new SandboxSpec(session.Id, session.Owner, agent.Id, agents.ImageFor(agent), plainEnv)
        {
            InstanceId = instance.Id,
            Resources = agent.Resources,
        };
        if (agent.WarmPool && await TryUseWarmSandboxAsync(session, spec, secrets, recordSandbox, cancellationToken))
        {
            return;
        }

        var handle = await CreateSandboxAsync(spec, cancellationToken);
        await recordSandbox(handle.SandboxId);
        if (secrets.Count > 0)
        {
            await WriteSettingsAsync(handle.SandboxId, secrets, cancellationToken);
        }
    }

    private async Task<SandboxHandle> CreateSandboxAsync(SandboxSpec spec, CancellationToken cancellationToken)
    {
        try
        {
            return await runtime.CreateAsync(spec, cancellationToken);
        }
        catch (SandboxRuntimeUnavailableException ex)
        {
            // Said so on the launch page and in the API's 503: the engine may be restarting, and a retry then works.
            throw new SessionRuntimeUnavailableException($"{EngineNotAnswering} ({ex.Message.TrimEnd('.', ' ')})", ex);
        }
        catch (SandboxRuntimeException ex)
        {
            throw new SessionCreateException($"Failed to create session: {ex.Message.TrimEnd('.', ' ')}. Please try again.", ex);
        }
    }

    /// <summary>
    /// Takes a warm sandbox if one is ready: the claim is recorded first, the session row then names the sandbox,
    /// and the sandbox gets the session's settings and secrets over stdin before its init runs. False (and the
    /// sandbox discarded) if anything fails: the caller starts cold then.
    /// </summary>
    private async Task<bool> TryUseWarmSandboxAsync(
        Session session,
        SandboxSpec spec,
        IReadOnlyDictionary<string, string> secrets,
        Func<string?, Task> recordSandbox,
        CancellationToken cancellationToken)
    {
        var warm = await warmPool.TryClaimAsync(session.AgentId, session.Id, cancellationToken);
        if (warm is null)
        {
            return false;
        }

        try
        {
            await recordSandbox(warm.SandboxId);
            var settings = spec.Env.Where(e => e.Key != "TERM").Concat(secrets).ToDictionary(e => e.Key, e => e.Value, StringComparer.Ordinal);
            await WriteSettingsAsync(warm.SandboxId, settings, cancellationToken);
            var init = await runtime.ExecAsync(warm.SandboxId, ["/usr/local/bin/remolt-entrypoint", "--session-init"], ReadOnlyMemory<byte>.Empty, cancellationToken);
            if (init.ExitCode != 0)
            {
                throw new SandboxRuntimeException($"session init exited with {init.ExitCode}");
            }

            // Labelled for the session before the warm-pool row goes: a restart in between adopts it either way.
            await runtime.AssignAsync(warm.SandboxId, spec, cancellationToken);
            await warmPool.ReleaseAsync(warm.SandboxId, cancellationToken);
            return true;
        }
        catch (Exception ex) when (ex is SandboxRuntimeException or SessionCreateException)
        {
            LogWarmClaimFailed(logger, session.Id, warm.SandboxId, ex);
            await warmPool.DiscardAsync(warm.SandboxId, CancellationToken.None);
            await recordSandbox(null);
            return false;
        }
    }

    /// <summary>Writes <c>~/.remolt/env</c> (mode 600) from stdin; every login shell in the sandbox loads it.</summary>
    private async Task WriteSettingsAsync(string sandboxId, IReadOnlyDictionary<string, string> settings, CancellationToken cancellationToken)
    {
        ExecResult result;
        try
        {
            result = await runtime.ExecAsync(sandboxId, SecretFile.WriteCommand, SecretFile.Render(settings), cancellationToken);
        }
        catch (SandboxRuntimeException ex)
        {
            throw new SessionCreateException(CredentialsFailed, ex);
        }

        if (result.ExitCode != 0)
        {
            throw new SessionCreateException(CredentialsFailed, new SandboxRuntimeException($"secret write exited with {result.ExitCode}"));
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Checking the sandbox image of agent {Agent} failed; creating the sandbox anyway")]
    private static partial void LogPrepareFailed(ILogger logger, string agent, Exception exception);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Warm sandbox {SandboxId} could not be used for session {SessionId}; starting cold")]
    private static partial void LogWarmClaimFailed(ILogger logger, string sessionId, string sandboxId, Exception exception);
}
