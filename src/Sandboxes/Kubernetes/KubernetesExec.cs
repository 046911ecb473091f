using System.Buffers;
using System.Globalization;
using RemoltBlazor.Sandboxes.Docker;
using RemoltBlazor.Sandboxes.Runtime;

namespace RemoltBlazor.Sandboxes.Kubernetes;

/// <summary>
/// Non-TTY execs in a pod run to completion: stdin fed then closed (v5's close, or on v4 a <c>head -c N</c> in front of
/// the command, since v4 cannot say EOF), stdout and stderr collected up to a cap, the exit code from channel 3.
/// </summary>
internal sealed class KubernetesExec(KubernetesExecConnector connector)
{
    public KubernetesExecConnector Connector => connector;

    /// <summary>On v4 the command reads exactly the bytes it is given: <c>sh -c 'head -c "$0" | "$@"' N command...</c>.</summary>
    public static IReadOnlyList<string> ReadingExactly(int length, IReadOnlyList<string> command) =>
        ["sh", "-c", "head -c \"$0\" | \"$@\"", length.ToString(CultureInfo.InvariantCulture), .. command];

    public async Task<ExecResult> RunAsync(string pod, IReadOnlyList<string> command, ReadOnlyMemory<byte> stdin, int outputCap, CancellationToken cancellationToken)
    {
        var feed = !stdin.IsEmpty;
        await using var channel = await connector.ConnectAsync(
            pod, protocol => feed && protocol != KubernetesExecConnector.V5 ? ReadingExactly(stdin.Length, command) : command,
            tty: false, stdin: feed, cancellationToken);
        using var writerCancellation = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var writer = feed ? WriteStdinAsync(channel, stdin, writerCancellation.Token) : Task.CompletedTask;
        var stdout = new ArrayBufferWriter<byte>();
        var stderr = new ArrayBufferWriter<byte>();
        var complete = true;
        int? exitCode = null;
        try
        {
            // Read while writing: a command like cat answers before its input ends, and a full pipe would deadlock.
            while (await channel.ReceiveAsync(cancellationToken) is var (index, payload))
            {
                switch (index)
                {
                    case KubernetesExecChannel.Stdout:
                        complete &= DockerExec.AppendUpTo(stdout, payload.Span, outputCap);
                        break;
                    case KubernetesExecChannel.Stderr:
                        complete &= DockerExec.AppendUpTo(stderr, payload.Span, outputCap);
                        break;
                    case KubernetesExecChannel.Status:
                        exitCode = KubernetesExecChannel.ExitCode(payload.Span, pod);
                        break;
                }
            }
        }
        finally
        {
            // A command that exits without reading all its input leaves the writer blocked: stop it.
            await writerCancellation.CancelAsync();
            await writer;
        }

        return exitCode is { } code
            ? new ExecResult(code, stdout.WrittenSpan.ToArray(), stderr.WrittenSpan.ToArray(), Truncated: !complete)
            : throw await connector.Calls.ExecFailureAsync(pod, new IOException($"The exec in pod {pod} ended without an exit status."), cancellationToken);
    }

    private static async Task WriteStdinAsync(KubernetesExecChannel channel, ReadOnlyMemory<byte> stdin, CancellationToken cancellationToken)
    {
        try
        {
            await channel.SendAsync(KubernetesExecChannel.Stdin, stdin, cancellationToken);
            if (channel.SupportsClose)
            {
                await channel.CloseStdinAsync(cancellationToken);
            }
        }
        catch (OperationCanceledException)
        {
            // The output ended first: the command did not want the rest of its input.
        }
        catch (Exception ex) when (ex is System.Net.WebSockets.WebSocketException or IOException or ObjectDisposedException)
        {
            // The command exited and the server closed the socket; its exit status tells what happened.
        }
    }
}
