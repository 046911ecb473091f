using System.Buffers.Binary;
using RemoltBlazor.Sandboxes.Runtime;

namespace RemoltBlazor.Sandboxes.Docker.Engine;

/// <summary>
/// Splits the output of a non-TTY attach or exec into stdout and stderr. Every frame is an 8-byte header
/// <c>[stream, 0, 0, 0, size (uint32 big-endian)]</c> followed by <c>size</c> bytes.
/// See "Stream format" in https://docs.docker.com/reference/api/engine/version/v1.43/#tag/Container/operation/ContainerAttach
/// </summary>
internal static class DockerStreamDemultiplexer
{
    public const int HeaderLength = 8;
    public const byte Stdin = 0;
    public const byte Stdout = 1;
    public const byte Stderr = 2;

    /// <summary>The engine's own error after the stream started (stdcopy's "systemerr").</summary>
    public const byte SystemError = 3;

    private const int ChunkLength = 64 * 1024;

    /// <summary>Reads frames until the stream ends. A header cut short or an unknown stream type is rejected.</summary>
    public static async Task ReadAllAsync(
        Func<Memory<byte>, CancellationToken, ValueTask<int>> read,
        BoundedOutputBuffer stdout,
        BoundedOutputBuffer stderr,
        CancellationToken cancellationToken)
    {
        var header = new byte[HeaderLength];
        var chunk = new byte[ChunkLength];
        while (true)
        {
            var got = await ReadAtMostAsync(read, header, cancellationToken);
            if (got == 0)
            {
                return;
            }

            if (got < HeaderLength)
            {
                throw new InvalidDataException($"The Docker output stream ended inside a frame header ({got} of {HeaderLength} bytes).");
            }

            var kind = header[0];
            if (kind > SystemError || header[1] != 0 || header[2] != 0 || header[3] != 0)
            {
                throw new InvalidDataException($"Unknown Docker stream frame header {Convert.ToHexString(header)}.");
            }

            var remaining = (long)BinaryPrimitives.ReadUInt32BigEndian(header.AsSpan(4));
            var systemError = kind == SystemError ? new BoundedOutputBuffer(ChunkLength) : null;
            var sink = kind switch { Stdout => stdout, Stderr => stderr, SystemError => systemError!, _ => null };
            while (remaining > 0)
            {
                var want = (int)Math.Min(remaining, chunk.Length);
                var n = await read(chunk.AsMemory(0, want), cancellationToken);
                if (n == 0)
                {
                    throw new InvalidDataException($"The Docker output stream ended inside a frame ({remaining} bytes missing).");
                }

                // Stdin frames never come from the engine; if one does, it is dropped rather than mixed into output.
                sink?.Append(chunk.AsSpan(0, n));
                remaining -= n;
            }

            if (systemError is not null)
            {
                throw new SandboxRuntimeException($"Docker reported an error in the exec stream: {systemError.ToText()}");
            }
        }
    }

    private static async ValueTask<int> ReadAtMostAsync(
        Func<Memory<byte>, CancellationToken, ValueTask<int>> read, byte[] buffer, CancellationToken cancellationToken)
    {
        var total = 0;
        while (total < buffer.Length)
        {
            var n = await read(buffer.AsMemory(total), cancellationToken);
            if (n == 0)
            {
                break;
            }

            total += n;
        }

        return total;
    }
}
