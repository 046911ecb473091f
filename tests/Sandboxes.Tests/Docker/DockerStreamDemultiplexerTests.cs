using System.Text;
using RemoltBlazor.Sandboxes.Docker.Engine;
using RemoltBlazor.Sandboxes.Runtime;

namespace RemoltBlazor.Sandboxes.Tests.Docker;

public sealed class DockerStreamDemultiplexerTests
{
    private static readonly TimeSpan s_timeout = TimeSpan.FromSeconds(10);

    [Fact]
    public async Task ReadAllAsync_InterleavedFrames_SplitsStdoutAndStderr()
    {
        var bytes = Concat(Frame(1, "hello "), Frame(2, "oops"), Frame(1, "world"), Frame(2, "!"));
        var (stdout, stderr) = (new BoundedOutputBuffer(1024), new BoundedOutputBuffer(1024));

        await DockerStreamDemultiplexer.ReadAllAsync(new MemoryStream(bytes).ReadAsync, stdout, stderr, CancellationToken.None).WaitAsync(s_timeout);

        stdout.ToText().ShouldBe("hello world");
        stderr.ToText().ShouldBe("oops!");
    }

    [Fact]
    public async Task ReadAllAsync_ReadsOfOneByte_ReassemblesHeadersAndPayloads()
    {
        var payload = new string('x', 70_000);
        var bytes = Concat(Frame(1, payload), Frame(2, "e"));
        var (stdout, stderr) = (new BoundedOutputBuffer(1 << 20), new BoundedOutputBuffer(1024));
        var stream = new MemoryStream(bytes);

        await DockerStreamDemultiplexer.ReadAllAsync((m, ct) => stream.ReadAsync(m[..1], ct), stdout, stderr, CancellationToken.None).WaitAsync(s_timeout);

        stdout.ToText().ShouldBe(payload);
        stderr.ToText().ShouldBe("e");
    }

    [Fact]
    public async Task ReadAllAsync_MoreThanCap_KeepsCapAndFlagsTruncated()
    {
        var bytes = Concat(Frame(1, "0123456789"), Frame(1, "abc"));
        var (stdout, stderr) = (new BoundedOutputBuffer(8), new BoundedOutputBuffer(8));

        await DockerStreamDemultiplexer.ReadAllAsync(new MemoryStream(bytes).ReadAsync, stdout, stderr, CancellationToken.None).WaitAsync(s_timeout);

        stdout.ToText().ShouldBe("01234567");
        stdout.Truncated.ShouldBeTrue();
        stderr.Truncated.ShouldBeFalse();
    }

    [Fact]
    public async Task ReadAllAsync_UnknownStreamType_ThrowsInvalidData()
    {
        var bytes = Frame(7, "?");

        await Should.ThrowAsync<InvalidDataException>(
            DockerStreamDemultiplexer.ReadAllAsync(new MemoryStream(bytes).ReadAsync, new(64), new(64), CancellationToken.None).WaitAsync(s_timeout));
    }

    [Fact]
    public async Task ReadAllAsync_StreamEndsInsideFrame_ThrowsInvalidData()
    {
        var bytes = Frame(1, "truncated")[..12];

        await Should.ThrowAsync<InvalidDataException>(
            DockerStreamDemultiplexer.ReadAllAsync(new MemoryStream(bytes).ReadAsync, new(64), new(64), CancellationToken.None).WaitAsync(s_timeout));
    }

    [Fact]
    public async Task ReadAllAsync_SystemErrorFrame_ThrowsWithEngineText()
    {
        var bytes = Concat(Frame(1, "partial"), Frame(3, "container died"));

        var ex = await Should.ThrowAsync<SandboxRuntimeException>(
            DockerStreamDemultiplexer.ReadAllAsync(new MemoryStream(bytes).ReadAsync, new(64), new(64), CancellationToken.None).WaitAsync(s_timeout));

        ex.Message.ShouldContain("container died");
    }

    [Fact]
    public async Task ReadAllAsync_EmptyStream_ReturnsNothing()
    {
        var (stdout, stderr) = (new BoundedOutputBuffer(64), new BoundedOutputBuffer(64));

        await DockerStreamDemultiplexer.ReadAllAsync(new MemoryStream([]).ReadAsync, stdout, stderr, CancellationToken.None).WaitAsync(s_timeout);

        stdout.Length.ShouldBe(0);
        stderr.Length.ShouldBe(0);
    }

    private static byte[] Frame(byte stream, string text)
    {
        var payload = Encoding.UTF8.GetBytes(text);
        var frame = new byte[8 + payload.Length];
        frame[0] = stream;
        System.Buffers.Binary.BinaryPrimitives.WriteUInt32BigEndian(frame.AsSpan(4), (uint)payload.Length);
        payload.CopyTo(frame, 8);
        return frame;
    }

    private static byte[] Concat(params byte[][] parts) => [.. parts.SelectMany(p => p)];
}
