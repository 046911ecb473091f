using System.Diagnostics;
using RemoltBlazor.Sandboxes.Docker;
using RemoltBlazor.Sandboxes.Runtime;
using RemoltBlazor.Sandboxes.Tests.Docker;
using RemoltBlazor.TestSupport;

namespace RemoltBlazor.Sandboxes.Tests.EngineRestart;

/// <summary>The Docker runtime on a private dockerd that the test stops and starts (never the machine's engine).</summary>
public sealed class DockerEngineRestartTests
{
    private static readonly TimeSpan s_timeout = TimeSpan.FromSeconds(60);

    // A stopped engine is a missing or refusing socket: every call must say so at once, not after a timeout.
    private static readonly TimeSpan s_failFast = TimeSpan.FromSeconds(5);

    [PrivateEngineFact]
    public async Task Calls_EngineStoppedThenStarted_FailFastAsUnavailableThenWorkOnTheSameClient()
    {
        await using var engine = await PrivateDockerEngine.StartAsync(liveRestore: true);
        using var docker = new DockerEngine(engine.SocketPath);
        var runtime = DockerTestEngine.Runtime(docker, DockerTestEngine.Options(PrivateDockerEngine.SubnetPool));
        (await runtime.ProbeAsync(CancellationToken.None).WaitAsync(s_timeout)).Available.ShouldBeTrue();
        (await runtime.ListManagedAsync(CancellationToken.None).WaitAsync(s_timeout)).ShouldBeEmpty();

        await engine.StopDaemonAsync();
        var away = Stopwatch.StartNew();
        var probe = await runtime.ProbeAsync(CancellationToken.None).WaitAsync(s_timeout);
        var list = await Should.ThrowAsync<SandboxRuntimeUnavailableException>(runtime.ListManagedAsync(CancellationToken.None).WaitAsync(s_timeout));
        var exec = await Should.ThrowAsync<SandboxRuntimeUnavailableException>(
            runtime.ExecAsync("remolt-gone", ["true"], ReadOnlyMemory<byte>.Empty, CancellationToken.None).WaitAsync(s_timeout));
        var attach = await Should.ThrowAsync<SandboxRuntimeUnavailableException>(
            runtime.AttachTerminalAsync("remolt-gone", new TerminalAttachOptions(), CancellationToken.None).WaitAsync(s_timeout));
        away.Elapsed.ShouldBeLessThan(s_failFast);

        probe.Available.ShouldBeFalse();
        probe.Detail.ShouldContain("Docker engine not reachable");
        probe.Detail.ShouldContain(engine.SocketPath);
        list.Message.ShouldContain(engine.SocketPath);
        exec.Message.ShouldContain(engine.SocketPath);
        attach.Message.ShouldContain(engine.SocketPath);

        // Back: the client pinned before the restart works again, with no new DockerEngine and no app restart.
        await engine.StartDaemonAsync(liveRestore: true);
        var back = await runtime.ProbeAsync(CancellationToken.None).WaitAsync(s_timeout);
        back.Available.ShouldBeTrue(back.Detail);
        (await runtime.ListManagedAsync(CancellationToken.None).WaitAsync(s_timeout)).ShouldBeEmpty();
    }
}
