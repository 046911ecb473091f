using System.Text;
using RemoltBlazor.Sandboxes.Local.Pty;
using RemoltBlazor.Sandboxes.Runtime;

namespace RemoltBlazor.Sandboxes.Tests.Local.Pty;

/// <summary>
/// A PTY under test and everything it has printed: one background reader keeps draining the master (a terminal whose
/// output nobody reads stalls its program), tests wait for text with a deadline.
/// </summary>
internal sealed class PtyScreen : IAsyncDisposable
{
    public static readonly TimeSpan Timeout = TimeSpan.FromSeconds(15);

    /// <summary>An interactive sh's prompt (PS1 in <see cref="Environment"/>); root's default would be "# ".</summary>
    public const string Prompt = "pty$ ";

    private readonly StringBuilder _text = new();
    private readonly Lock _lock = new();
    private readonly Task _reader;

    private PtyScreen(PtyProcess process)
    {
        Process = process;
        _reader = Task.Run(ReadAsync);
    }

    public PtyProcess Process { get; }

    /// <summary>Completes when the stream has ended (read returned 0).</summary>
    public Task Ended => _reader;

    public string Text
    {
        get
        {
            lock (_lock)
            {
                return _text.ToString();
            }
        }
    }

    public static PtyScreen Start(string fileName, IReadOnlyList<string> arguments, TerminalSize? size = null,
        IReadOnlyDictionary<string, string>? environment = null, string? workingDirectory = null) =>
        new(PtyProcess.Start(new PtyStartInfo(fileName, arguments, environment ?? Environment(), workingDirectory ?? "/",
            size ?? new TerminalSize(80, 24))));

    public static Dictionary<string, string> Environment(string? home = null) => new()
    {
        ["PATH"] = "/usr/local/bin:/usr/bin:/bin",
        ["TERM"] = "xterm-256color",
        ["HOME"] = home ?? "/tmp",
        ["SHELL"] = "/bin/sh",
        ["LANG"] = "C.UTF-8",
        ["PS1"] = Prompt,
    };

    public async Task TypeAsync(string text) =>
        await Process.Stream.WriteAsync(Encoding.UTF8.GetBytes(text)).AsTask().WaitAsync(Timeout);

    /// <summary>Waits until the output holds <paramref name="expected"/> (after <paramref name="from"/>); returns where it ends.</summary>
    public async Task<int> WaitForAsync(string expected, int from = 0)
    {
        var deadline = DateTime.UtcNow + Timeout;
        while (true)
        {
            var text = Text;
            var at = text.IndexOf(expected, Math.Min(from, text.Length), StringComparison.Ordinal);
            if (at >= 0)
            {
                return at + expected.Length;
            }

            if (DateTime.UtcNow > deadline || _reader.IsCompleted)
            {
                throw new TimeoutException($"'{expected}' did not appear; the terminal showed:\n{text}");
            }

            await Task.Delay(10);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await Process.DisposeAsync();
        await _reader.WaitAsync(Timeout);
    }

    private async Task ReadAsync()
    {
        var buffer = new byte[16 * 1024];
        var decoder = Encoding.UTF8.GetDecoder();
        var chars = new char[buffer.Length + 16];
        int n;
        while ((n = await Process.Stream.ReadAsync(buffer)) > 0)
        {
            var count = decoder.GetChars(buffer, 0, n, chars, 0);
            lock (_lock)
            {
                _text.Append(chars, 0, count);
            }
        }
    }
}
