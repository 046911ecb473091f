using Microsoft.Extensions.Logging.Abstractions;
using RemoltBlazor.Sandboxes.Runtime;
using RemoltBlazor.Sandboxes.Sessions;
using RemoltBlazor.Sandboxes.Terminals;
using RemoltBlazor.Web.Realtime.Circuit;

namespace RemoltBlazor.Web.Tests.Realtime.Circuit;

public sealed class CircuitTerminalTests
{
    private static readonly TimeSpan s_timeout = TimeSpan.FromSeconds(10);

    [Fact]
    public async Task OnInput_ManyChunks_WritesThemInOrder()
    {
        var stream = new ScriptedTerminalStream { YieldOnWrite = true };
        await using var service = NewService(stream, out _);
        var terminal = service.Open("s1", "alice", 0);
        var attached = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var run = terminal.RunAsync(80, 24, (_, _) => Task.CompletedTask, () => { attached.SetResult(); return Task.CompletedTask; }, CancellationToken.None);
        await attached.Task.WaitAsync(s_timeout);
        var paste = TerminalOutputPumpTests.Pattern(0, 100_000);

        // As terminal.js sends a paste: 8 KiB chunks, each call awaited before the next.
        for (var offset = 0; offset < paste.Length; offset += 8192)
        {
            await terminal.OnInput(paste[offset..Math.Min(offset + 8192, paste.Length)]).WaitAsync(s_timeout);
        }

        // And overlapping calls (a misbehaving or second caller) still land whole and in call order.
        var overlapping = Enumerable.Range(0, 50).Select(i => terminal.OnInput([(byte)i])).ToArray();
        await Task.WhenAll(overlapping).WaitAsync(s_timeout);

        stream.Written.SelectMany(w => w).Take(paste.Length).ToArray().AsSpan().SequenceEqual(paste).ShouldBeTrue();
        stream.Written.Skip(13).Select(w => w.Single()).ShouldBe(Enumerable.Range(0, 50).Select(i => (byte)i));
        await terminal.DisposeAsync().AsTask().WaitAsync(s_timeout);
        await Should.ThrowAsync<OperationCanceledException>(() => run.WaitAsync(s_timeout));
    }

    [Fact]
    public async Task RunAsync_AttachOptions_UseWindowAndClampedSize()
    {
        var stream = new ScriptedTerminalStream();
        stream.End();
        await using var service = NewService(stream, out var attacher);

        var outcome = await service.Open("s1", "alice", 2).RunAsync(5000, 0, (_, _) => Task.CompletedTask, () => Task.CompletedTask, CancellationToken.None).WaitAsync(s_timeout);

        outcome.Reason.ShouldBe(TerminalEndReason.Ended);
        attacher.Calls.ShouldBe([("s1", "alice", new TerminalAttachOptions(2, new TerminalSize(TerminalSize.MaxColumns, TerminalSize.MinRows)))]);
        stream.IsDisposed.ShouldBeTrue();
    }

    [Fact]
    public async Task OnResize_OutOfRange_ResizesClamped()
    {
        var stream = new ScriptedTerminalStream();
        await using var service = NewService(stream, out _);
        var terminal = service.Open("s1", "alice", 0);
        var attached = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        _ = terminal.RunAsync(80, 24, (_, _) => Task.CompletedTask, () => { attached.SetResult(); return Task.CompletedTask; }, CancellationToken.None);
        await attached.Task.WaitAsync(s_timeout);

        await terminal.OnResize(1, 9999).WaitAsync(s_timeout);
        await terminal.OnResize(132, 43).WaitAsync(s_timeout);

        stream.Resizes.ShouldBe([(TerminalSize.MinColumns, TerminalSize.MaxRows), (132, 43)]);
        await terminal.DisposeAsync().AsTask().WaitAsync(s_timeout);
        stream.IsDisposed.ShouldBeTrue();
    }

    [Fact]
    public async Task OnResize_WhileAttaching_AppliedOnceAttached()
    {
        var stream = new ScriptedTerminalStream();
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var attacher = new FakeAttacher(_ => stream, release.Task);
        await using var service = new CircuitTerminalService(attacher, NullLogger<CircuitTerminalService>.Instance);
        var terminal = service.Open("s1", "alice", 0);
        var attached = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        _ = terminal.RunAsync(80, 24, (_, _) => Task.CompletedTask, () => { attached.SetResult(); return Task.CompletedTask; }, CancellationToken.None);

        await terminal.OnResize(100, 40).WaitAsync(s_timeout);
        release.SetResult();
        await attached.Task.WaitAsync(s_timeout);

        attacher.Calls.Single().Options.ShouldBe(new TerminalAttachOptions(0, new TerminalSize(80, 24)));
        stream.Resizes.ShouldBe([(100, 40)]);
    }

    [Theory]
    [InlineData("notfound", TerminalEndReason.NotFound)]
    [InlineData("attach", TerminalEndReason.AttachFailed)]
    [InlineData("other", TerminalEndReason.AttachFailed)]
    public async Task RunAsync_AttachThrows_ReturnsReason(string failure, TerminalEndReason expected)
    {
        var attacher = new FakeAttacher(_ => failure switch
        {
            "notfound" => throw new SessionNotFoundException(),
            "attach" => throw new TerminalAttachException("sandbox still booting", new TimeoutException()),
            _ => throw new IOException("docker socket closed"),
        });
        await using var service = new CircuitTerminalService(attacher, NullLogger<CircuitTerminalService>.Instance);
        var attachedCalled = false;

        var outcome = await service.Open("s1", "alice", 0).RunAsync(80, 24, (_, _) => Task.CompletedTask, () => { attachedCalled = true; return Task.CompletedTask; }, CancellationToken.None).WaitAsync(s_timeout);

        outcome.Reason.ShouldBe(expected);
        attachedCalled.ShouldBeFalse();
    }

    [Fact]
    public async Task RunAsync_InputWriteFails_ReturnsFailed()
    {
        var stream = new ScriptedTerminalStream { WriteFailure = new IOException("broken pipe") };
        await using var service = NewService(stream, out _);
        var terminal = service.Open("s1", "alice", 0);
        var attached = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var run = terminal.RunAsync(80, 24, (_, _) => Task.CompletedTask, () => { attached.SetResult(); return Task.CompletedTask; }, CancellationToken.None);
        await attached.Task.WaitAsync(s_timeout);

        await terminal.OnInput("ls\r"u8.ToArray()).WaitAsync(s_timeout);

        (await run.WaitAsync(s_timeout)).Reason.ShouldBe(TerminalEndReason.Failed);
        stream.IsDisposed.ShouldBeTrue();
    }

    [Fact]
    public async Task DisposeAsync_Service_DetachesEveryOpenTerminal()
    {
        var streams = new List<ScriptedTerminalStream>();
        var attacher = new FakeAttacher(_ => { var s = new ScriptedTerminalStream(); lock (streams) { streams.Add(s); } return s; });
        var service = new CircuitTerminalService(attacher, NullLogger<CircuitTerminalService>.Instance);
        var runs = new List<Task<TerminalOutcome>>();
        for (var window = 0; window < 3; window++)
        {
            runs.Add(service.Open("s1", "alice", window).RunAsync(80, 24, (_, _) => Task.CompletedTask, () => Task.CompletedTask, CancellationToken.None));
        }

        while (attacher.Calls.Count < 3)
        {
            await Task.Delay(10).WaitAsync(s_timeout);
        }

        await service.DisposeAsync().AsTask().WaitAsync(s_timeout);

        runs.ShouldAllBe(r => r.IsCanceled);
        streams.ShouldAllBe(s => s.IsDisposed);
        service.Count.ShouldBe(0);
    }

    [Fact]
    public async Task Open_MoreThanCircuitLimit_Throws()
    {
        await using var service = NewService(new ScriptedTerminalStream(), out _);
        for (var i = 0; i < CircuitTerminalService.MaxTerminalsPerCircuit; i++)
        {
            service.Open("s1", "alice", i);
        }

        Should.Throw<InvalidOperationException>(() => service.Open("s1", "alice", 99));
    }

    private static CircuitTerminalService NewService(ScriptedTerminalStream stream, out FakeAttacher attacher)
    {
        attacher = new FakeAttacher(_ => stream);
        return new CircuitTerminalService(attacher, NullLogger<CircuitTerminalService>.Instance);
    }

    internal sealed class FakeAttacher(Func<TerminalAttachOptions, TerminalStream> attach, Task? gate = null) : ITerminalAttacher
    {
        private readonly List<(string, string, TerminalAttachOptions)> _calls = [];

        public IReadOnlyList<(string SessionId, string Caller, TerminalAttachOptions Options)> Calls
        {
            get
            {
                lock (_calls)
                {
                    return [.. _calls];
                }
            }
        }

        public async Task<TerminalStream> AttachAsync(string sessionId, string caller, TerminalAttachOptions options, CancellationToken cancellationToken)
        {
            await Task.Yield();
            if (gate is not null)
            {
                await gate.WaitAsync(cancellationToken);
            }

            lock (_calls)
            {
                _calls.Add((sessionId, caller, options));
            }

            return attach(options);
        }

        /// <summary>Recorded like an attach, with the read-only flag the real attacher sets.</summary>
        public Task<TerminalStream> WatchAsync(string sessionId, string admin, TerminalAttachOptions options, CancellationToken cancellationToken) =>
            AttachAsync(sessionId, admin, options with { ReadOnly = true }, cancellationToken);
    }
}
