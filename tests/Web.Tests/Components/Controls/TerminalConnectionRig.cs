using System.Collections.Concurrent;
using System.Threading.Channels;
using Microsoft.Extensions.Logging.Abstractions;
using RemoltBlazor.Sandboxes.Runtime;
using RemoltBlazor.Sandboxes.Terminals;
using RemoltBlazor.Web.Components.Controls;
using RemoltBlazor.Web.Realtime.Circuit;
using RemoltBlazor.Web.Tests.Realtime.Circuit;

namespace RemoltBlazor.Web.Tests.Components.Controls;

/// <summary>
/// A <see cref="TerminalConnection"/> for session <c>s1</c> window 2, on a real <see cref="CircuitTerminalService"/>
/// whose attaches are answered in turn by <see cref="Then"/> (an open in-memory TTY when none is queued), a
/// recording screen, a real connection tracker and a fake clock. Every change the connection reports is kept in order.
/// </summary>
internal sealed class TerminalConnectionRig : IAsyncDisposable
{
    private readonly ConcurrentQueue<Func<TerminalAttachOptions, TerminalStream>> _answers = new();
    private readonly ConcurrentQueue<ScriptedTerminalStream> _streams = new();
    private readonly ConcurrentQueue<TerminalEndedArgs> _ended = new();
    private readonly Channel<TerminalEndedArgs> _endings = Channel.CreateUnbounded<TerminalEndedArgs>();
    private readonly Channel<(string? Status, string? AuthUrl)> _changes = Channel.CreateUnbounded<(string?, string?)>();

    public TerminalConnectionRig()
    {
        Attacher = new CircuitTerminalTests.FakeAttacher(options => _answers.TryDequeue(out var answer) ? answer(options) : NewStream());
        Terminals = new CircuitTerminalService(Attacher, NullLogger<CircuitTerminalService>.Instance);
        Connection = new TerminalConnection("s1", "alice", 2, Terminals, Tracker, Time, NullLogger<TerminalConnection>.Instance)
        {
            Changed = () =>
            {
                _changes.Writer.TryWrite((Connection!.Status?.Text, Connection.AuthUrl));
                return Task.CompletedTask;
            },
            Ended = args =>
            {
                _ended.Enqueue(args);
                _endings.Writer.TryWrite(args);
                return Task.CompletedTask;
            },
        };
    }

    public SignallingTimeProvider Time { get; } = new();

    public CircuitConnectionTracker Tracker { get; } = new();

    public RecordingTerminalScreen Screen { get; } = new();

    public CircuitTerminalTests.FakeAttacher Attacher { get; }

    public CircuitTerminalService Terminals { get; }

    public TerminalConnection Connection { get; }

    public IReadOnlyList<ScriptedTerminalStream> Streams => [.. _streams];

    public IReadOnlyList<TerminalEndedArgs> Ended => [.. _ended];

    /// <summary>Queues how the next attach not yet answered is answered.</summary>
    public TerminalConnectionRig Then(Func<TerminalAttachOptions, TerminalStream> answer)
    {
        _answers.Enqueue(answer);
        return this;
    }

    /// <summary>Queues a TTY that ends (reads return 0) once attached.</summary>
    public TerminalConnectionRig ThenEnded() => Then(_ =>
    {
        var stream = NewStream();
        stream.End();
        return stream;
    });

    public TerminalConnectionRig Start()
    {
        Connection.Start(Screen);
        return this;
    }

    /// <summary>Waits for the status overlay to read <paramref name="text"/> (null: attached), in the order reported.</summary>
    public Task WaitForStatusAsync(string? text) => WaitForAsync(change => change.Status == text, $"status '{text}'");

    /// <summary>The next time the connection reported that its terminal stopped.</summary>
    public async Task<TerminalEndedArgs> NextEndedAsync() =>
        await _endings.Reader.ReadAsync().AsTask().WaitAsync(ComponentTestContext.Timeout);

    public Task WaitForAuthUrlAsync(string? url) => WaitForAsync(change => change.AuthUrl == url, $"sign-in link '{url}'");

    private async Task WaitForAsync(Func<(string? Status, string? AuthUrl), bool> match, string what)
    {
        using var timeout = new CancellationTokenSource(ComponentTestContext.Timeout);
        try
        {
            while (!match(await _changes.Reader.ReadAsync(timeout.Token)))
            {
            }
        }
        catch (OperationCanceledException)
        {
            throw new TimeoutException($"Never saw {what}; now '{Connection.Status?.Text}', link '{Connection.AuthUrl}'.");
        }
    }

    private ScriptedTerminalStream NewStream()
    {
        var stream = new ScriptedTerminalStream();
        _streams.Enqueue(stream);
        return stream;
    }

    public async ValueTask DisposeAsync()
    {
        await Connection.DisposeAsync().AsTask().WaitAsync(ComponentTestContext.Timeout);
        await Terminals.DisposeAsync();
        Tracker.Dispose();
    }
}
