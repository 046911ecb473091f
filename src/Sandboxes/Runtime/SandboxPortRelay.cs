using System.Globalization;

namespace RemoltBlazor.Sandboxes.Runtime;

/// <summary>
/// The command a runtime runs inside a sandbox to reach <c>127.0.0.1:port</c> there: bash opens the connection
/// (exit 7 when nothing listens), writes one ready byte, then socat relays stdin/stdout to it. The port is an
/// argument, never part of the script text.
/// </summary>
public static class SandboxPortRelay
{
    public const byte ReadyByte = (byte)'K';

    private const string Script =
        "exec 3<>\"/dev/tcp/127.0.0.1/$1\" 2>/dev/null || exit 7; printf K; exec socat -t 5 - FD:3";

    public static IReadOnlyList<string> Command(int port) =>
        ["bash", "-c", Script, "remolt-connect", port.ToString(CultureInfo.InvariantCulture)];

    /// <summary>
    /// Starts the relay with <paramref name="start"/> (the runtime's streaming exec of the command) and hands its
    /// stream out once connected; disposed on failure.
    /// </summary>
    /// <exception cref="SandboxPortClosedException">Nothing listens on the port.</exception>
    public static async Task<Stream> OpenAsync(
        string sandboxId, int port, Func<IReadOnlyList<string>, CancellationToken, Task<Stream>> start, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(port, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(port, 65535);
        var stream = await start(Command(port), cancellationToken);
        try
        {
            await AwaitConnectedAsync(stream, sandboxId, port, cancellationToken);
            return stream;
        }
        catch
        {
            await stream.DisposeAsync();
            throw;
        }
    }

    /// <summary>Reads the ready byte; the stream ending first means the port is closed.</summary>
    /// <exception cref="SandboxPortClosedException">Nothing listens on the port.</exception>
    public static async Task AwaitConnectedAsync(Stream relay, string sandboxId, int port, CancellationToken cancellationToken)
    {
        var first = new byte[1];
        var n = await relay.ReadAsync(first, cancellationToken);
        if (n == 0)
        {
            throw new SandboxPortClosedException($"Nothing listens on port {port} in sandbox {sandboxId}.");
        }

        if (first[0] != ReadyByte)
        {
            throw new SandboxRuntimeException($"The port relay in sandbox {sandboxId} answered 0x{first[0]:x2} instead of its ready byte.");
        }
    }
}
