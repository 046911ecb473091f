using System.Buffers;
using Docker.DotNet;
using Docker.DotNet.Models;

namespace RemoltBlazor.TestSupport.Kubernetes;

/// <summary>
/// An exec in a Docker pod: <c>docker exec</c> in its container as the pod's user. With a TTY the output is one
/// stream and channel 4 resizes the exec's terminal; without, stdout and stderr come demuxed.
/// </summary>
internal sealed class FakeDockerExecProcess : IFakeExecProcess
{
    private readonly DockerClient _client;
    private readonly string _execId;
    private readonly MultiplexedStream _stream;
    private readonly bool _tty;

    private FakeDockerExecProcess(DockerClient client, string execId, MultiplexedStream stream, bool tty)
    {
        _client = client;
        _execId = execId;
        _stream = stream;
        _tty = tty;
    }

    public static async Task<FakeDockerExecProcess> StartAsync(
        DockerClient client, string containerId, string? user, IReadOnlyList<string> command, bool stdin, bool tty, CancellationToken cancellationToken)
    {
        var created = await client.Exec.CreateContainerExecAsync(containerId, new ContainerExecCreateParameters
        {
            Cmd = [.. command],
            User = user ?? "",
            AttachStdin = stdin,
            AttachStdout = true,
            AttachStderr = true,
            TTY = tty,

            // Docker holds Ctrl-P back as the start of its detach keys (ctrl-p,ctrl-q); a kubelet's exec passes every key on.
            DetachKeys = "ctrl-\\,ctrl-^,ctrl-_,ctrl-@",
        }, cancellationToken);

        // The exec's terminal exists only once it is started: a resize before that blocks and fails.
        var stream = await client.Exec.StartContainerExecAsync(created.ID, new ContainerExecStartParameters { TTY = tty }, cancellationToken);
        return new FakeDockerExecProcess(client, created.ID, stream, tty);
    }

    public async Task CopyOutputAsync(Func<byte, ReadOnlyMemory<byte>, Task> send, CancellationToken cancellationToken)
    {
        var buffer = ArrayPool<byte>.Shared.Rent(16 * 1024);
        try
        {
            while (await _stream.ReadOutputAsync(buffer, 0, buffer.Length, cancellationToken) is { EOF: false } read)
            {
                var channel = !_tty && read.Target == MultiplexedStream.TargetStream.StandardError ? (byte)2 : (byte)1;
                await send(channel, buffer.AsMemory(0, read.Count));
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    public Task WriteInputAsync(ReadOnlyMemory<byte> data, CancellationToken cancellationToken) =>
        _stream.WriteAsync(data.ToArray(), 0, data.Length, cancellationToken);

    public void CloseInput() => _stream.CloseWrite();

    public Task ResizeAsync(int width, int height, CancellationToken cancellationToken) => _tty
        ? _client.Exec.ResizeExecTtyAsync(_execId, new ContainerResizeParameters { Width = width, Height = height }, cancellationToken)
        : Task.CompletedTask;

    // The exit code is set a moment after the output ends.
    public async Task<int> WaitForExitAsync(CancellationToken cancellationToken)
    {
        while (true)
        {
            var inspect = await _client.Exec.InspectContainerExecAsync(_execId, cancellationToken);
            if (!inspect.Running && inspect.ExitCode is { } code)
            {
                return (int)code;
            }

            await Task.Delay(20, cancellationToken);
        }
    }

    public ValueTask DisposeAsync()
    {
        // Closing the connection hangs up the exec's terminal (SIGHUP to a TTY session), as a dropped kubectl does.
        _stream.Dispose();
        return ValueTask.CompletedTask;
    }
}
