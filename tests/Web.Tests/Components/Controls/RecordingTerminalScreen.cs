using System.Collections.Concurrent;
using System.Threading.Channels;
using RemoltBlazor.Web.Components.Controls;
using RemoltBlazor.Web.Realtime.Circuit;

namespace RemoltBlazor.Web.Tests.Components.Controls;

/// <summary>A screen without a browser: records what a <see cref="TerminalConnection"/> asks of it, in order.</summary>
internal sealed class RecordingTerminalScreen : ITerminalScreen
{
    private readonly ConcurrentQueue<string> _calls = new();
    private readonly Channel<byte[]> _output = Channel.CreateUnbounded<byte[]>();
    private readonly ConcurrentQueue<CircuitTerminal> _shown = new();

    /// <summary>Thrown by <see cref="LoadAsync"/>: the script did not load.</summary>
    public Exception? LoadFailure { get; set; }

    public TerminalFit Size { get; set; } = new(100, 40);

    /// <summary>Calls by name (<c>show</c>, <c>fit</c>, <c>reset</c>, <c>focus</c>, <c>status:TEXT</c>, <c>dispose</c>); writes: <see cref="NextOutputAsync"/>.</summary>
    public IReadOnlyList<string> Calls => [.. _calls];

    /// <summary>The terminals the screen was pointed at, one per attempt.</summary>
    public IReadOnlyList<CircuitTerminal> Shown => [.. _shown];

    public Task LoadAsync(CancellationToken cancellationToken)
    {
        _calls.Enqueue("load");
        return LoadFailure is { } failure ? Task.FromException(failure) : Task.CompletedTask;
    }

    public Task ShowAsync(CircuitTerminal terminal, CancellationToken cancellationToken)
    {
        _calls.Enqueue("show");
        _shown.Enqueue(terminal);
        return Task.CompletedTask;
    }

    public Task<TerminalFit> FitAsync(CancellationToken cancellationToken)
    {
        _calls.Enqueue("fit");
        return Task.FromResult(Size);
    }

    public Task WriteAsync(byte[] output, CancellationToken cancellationToken)
    {
        _output.Writer.TryWrite(output);
        return Task.CompletedTask;
    }

    /// <summary>The next chunk of output written to the screen.</summary>
    public async Task<byte[]> NextOutputAsync() => await _output.Reader.ReadAsync().AsTask().WaitAsync(ComponentTestContext.Timeout);

    public Task ResetAsync(CancellationToken cancellationToken)
    {
        _calls.Enqueue("reset");
        return Task.CompletedTask;
    }

    public Task FocusAsync(CancellationToken cancellationToken)
    {
        _calls.Enqueue("focus");
        return Task.CompletedTask;
    }

    public Task WriteStatusAsync(TerminalViewStatus status, CancellationToken cancellationToken)
    {
        _calls.Enqueue("status:" + status.TerminalLine);
        return Task.CompletedTask;
    }

    public ValueTask DisposeAsync()
    {
        _calls.Enqueue("dispose");
        return ValueTask.CompletedTask;
    }
}
