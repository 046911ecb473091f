using System.Text;
using RemoltBlazor.Sandboxes.Runtime;

namespace RemoltBlazor.Sandboxes.Tests;

/// <summary>
/// Reads a terminal in the background and lets a test wait, with a timeout, for text to appear. Any runtime's terminal:
/// the contract tests and the Docker tests share it (hence the root test namespace).
/// </summary>
internal sealed class TerminalReader : IAsyncDisposable
{
    private readonly TerminalStream _terminal;
    private readonly StringBuilder _text = new();
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _pump;
    private readonly TimeSpan? _cancelReadsEvery;
    private readonly TimeSpan _timeout;

    /// <param name="cancelReadsEvery">Gives every read its own short timeout, as a coalescing consumer would.</param>
    /// <param name="timeout">How long a write or the detach may take (the runtime's; 60 s by default).</param>
    public TerminalReader(TerminalStream terminal, TimeSpan? cancelReadsEvery = null, TimeSpan? timeout = null)
    {
        _terminal = terminal;
        _cancelReadsEvery = cancelReadsEvery;
        _timeout = timeout ?? TimeSpan.FromSeconds(60);
        _pump = Task.Run(PumpAsync);
    }

    public TerminalStream Terminal => _terminal;

    /// <summary>Completes when the terminal's output ended (a read returned 0 or failed) or the reader was disposed.</summary>
    public Task Ended => _pump;

    public string Text
    {
        get
        {
            lock (_text)
            {
                return _text.ToString();
            }
        }
    }

    public Task SendAsync(string keys) => _terminal.WriteAsync(Encoding.UTF8.GetBytes(keys), CancellationToken.None).AsTask().WaitAsync(_timeout);

    /// <summary>Waits until <paramref name="needle"/> occurs at least <paramref name="count"/> times after <paramref name="from"/>.</summary>
    public async Task<int> WaitForAsync(string needle, int from = 0, int count = 1, TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(20));
        while (true)
        {
            var text = Text;
            var found = 0;
            var at = from;
            while ((at = text.IndexOf(needle, at, StringComparison.Ordinal)) >= 0)
            {
                found++;
                at += needle.Length;
                if (found == count)
                {
                    return at;
                }
            }

            if (DateTime.UtcNow > deadline || _pump.IsCompleted)
            {
                throw new TimeoutException($"'{needle}' x{count} did not appear; the terminal showed:\n{text[Math.Min(from, text.Length)..]}");
            }

            await Task.Delay(20);
        }
    }

    /// <summary>
    /// Types <paramref name="command"/> until <paramref name="needle"/> appears: tmux passes a new size on to the
    /// pane a moment after its client sees it, so a command typed at once may still see the old size.
    /// </summary>
    public async Task RepeatUntilAsync(string command, string needle, int attempts = 10)
    {
        for (var attempt = 1; ; attempt++)
        {
            var from = Text.Length;
            await SendAsync(command);
            try
            {
                await WaitForAsync(needle, from, timeout: TimeSpan.FromSeconds(2));
                return;
            }
            catch (TimeoutException) when (attempt < attempts)
            {
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        await _terminal.DisposeAsync().AsTask().WaitAsync(_timeout);
        await _pump.WaitAsync(_timeout);
        _stop.Dispose();
    }

    private async Task PumpAsync()
    {
        var buffer = new byte[16 * 1024];
        var decoder = Encoding.UTF8.GetDecoder();
        var chars = new char[Encoding.UTF8.GetMaxCharCount(buffer.Length)];
        try
        {
            while (true)
            {
                int n;
                if (_cancelReadsEvery is { } every)
                {
                    using var timeout = CancellationTokenSource.CreateLinkedTokenSource(_stop.Token);
                    timeout.CancelAfter(every);
                    try
                    {
                        n = await _terminal.ReadAsync(buffer, timeout.Token);
                    }
                    catch (OperationCanceledException) when (!_stop.IsCancellationRequested)
                    {
                        continue;
                    }
                }
                else
                {
                    n = await _terminal.ReadAsync(buffer, _stop.Token);
                }

                if (n == 0)
                {
                    return;
                }

                var c = decoder.GetChars(buffer, 0, n, chars, 0);
                lock (_text)
                {
                    _text.Append(chars, 0, c);
                }
            }
        }
        catch (OperationCanceledException)
        {
        }
    }
}
