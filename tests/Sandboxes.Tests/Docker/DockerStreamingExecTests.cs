using System.Security.Cryptography;
using System.Text;
using RemoltBlazor.Sandboxes.Runtime;
using RemoltBlazor.TestSupport;

namespace RemoltBlazor.Sandboxes.Tests.Docker;

/// <summary>StartProcessAsync (streamed stdin/stdout, exit code, stderr) and ConnectAsync (the sandbox's loopback).</summary>
public sealed class DockerStreamingExecTests : IClassFixture<DockerSandboxFixture>
{
    private readonly DockerSandboxFixture _sandbox;

    public DockerStreamingExecTests(DockerSandboxFixture sandbox) => _sandbox = sandbox;

    [DockerFact]
    public async Task StartProcessAsync_EightMegabytesThroughSha256sum_HashMatchesAndExitIsZero()
    {
        var data = RandomNumberGenerator.GetBytes(8 * 1024 * 1024);
        await using var process = await _sandbox.Runtime.StartProcessAsync(_sandbox.SandboxId, ["sha256sum"], CancellationToken.None);

        var output = ReadAllAsync(process.Output);
        for (var offset = 0; offset < data.Length; offset += 100_000)
        {
            await process.WriteInputAsync(data.AsMemory(offset, Math.Min(100_000, data.Length - offset)), CancellationToken.None);
        }

        await process.CompleteInputAsync(CancellationToken.None);
        var text = Encoding.ASCII.GetString(await output.WaitAsync(DockerTestEngine.Timeout));
        var exit = await process.WaitForExitAsync(CancellationToken.None).WaitAsync(DockerTestEngine.Timeout);

        text.Split(' ')[0].ShouldBe(Convert.ToHexStringLower(SHA256.HashData(data)));
        exit.ExitCode.ShouldBe(0);
    }

    [DockerFact]
    public async Task StartProcessAsync_LargeOutputAndStderr_StdoutIsCleanAndStderrCollected()
    {
        await using var process = await _sandbox.Runtime.StartProcessAsync(
            _sandbox.SandboxId, ["bash", "-c", "head -c 3000000 /dev/zero; echo oops >&2; exit 3"], CancellationToken.None);

        var output = await ReadAllAsync(process.Output).WaitAsync(DockerTestEngine.Timeout);
        var exit = await process.WaitForExitAsync(CancellationToken.None).WaitAsync(DockerTestEngine.Timeout);

        output.Length.ShouldBe(3_000_000);
        output.ShouldAllBe(b => b == 0);
        exit.ExitCode.ShouldBe(3);
        exit.Stderr.ShouldBe("oops\n");
    }

    [DockerFact]
    public async Task StartProcessAsync_StderrFlood_KeptApartAndBoundedAt64KiB()
    {
        await using var process = await _sandbox.Runtime.StartProcessAsync(
            _sandbox.SandboxId, ["bash", "-c", "head -c 300000 /dev/zero | tr '\\0' e >&2; echo clean"], CancellationToken.None);

        var output = await ReadAllAsync(process.Output).WaitAsync(DockerTestEngine.Timeout);
        var exit = await process.WaitForExitAsync(CancellationToken.None).WaitAsync(DockerTestEngine.Timeout);

        Encoding.ASCII.GetString(output).ShouldBe("clean\n");
        exit.ExitCode.ShouldBe(0);
        exit.Stderr.ShouldBe(new string('e', 64 * 1024));
    }

    [DockerFact]
    public async Task StartProcessAsync_RunsAsDev()
    {
        await using var process = await _sandbox.Runtime.StartProcessAsync(_sandbox.SandboxId, ["id", "-un"], CancellationToken.None);

        var output = await ReadAllAsync(process.Output).WaitAsync(DockerTestEngine.Timeout);

        Encoding.ASCII.GetString(output).ShouldBe("dev\n");
    }

    [DockerFact]
    public async Task ConnectAsync_ServerOnLoopback_RoundTripsBytesBothWays()
    {
        const int port = 17001;
        await StartLoopbackEchoServerAsync(port);

        await using var connection = await _sandbox.Runtime.ConnectAsync(_sandbox.SandboxId, port, CancellationToken.None)
            .WaitAsync(DockerTestEngine.Timeout);
        var payload = RandomNumberGenerator.GetBytes(200_000);
        var echoed = new byte[payload.Length];
        var reader = connection.ReadExactlyAsync(echoed, CancellationToken.None).AsTask();
        await connection.WriteAsync(payload, CancellationToken.None);
        await reader.WaitAsync(DockerTestEngine.Timeout);

        echoed.ShouldBe(payload);
    }

    [DockerFact]
    public async Task ConnectAsync_NothingListening_ThrowsPortClosed()
    {
        await Should.ThrowAsync<SandboxPortClosedException>(
            () => _sandbox.Runtime.ConnectAsync(_sandbox.SandboxId, 17999, CancellationToken.None).WaitAsync(DockerTestEngine.Timeout));
    }

    [DockerFact]
    public async Task ConnectAsync_UnknownSandbox_ThrowsNotFound()
    {
        await Should.ThrowAsync<SandboxNotFoundException>(
            () => _sandbox.Runtime.ConnectAsync("remolt-no-such-sandbox", 80, CancellationToken.None).WaitAsync(DockerTestEngine.Timeout));
    }

    private async Task StartLoopbackEchoServerAsync(int port)
    {
        // socat echo server bound to 127.0.0.1 only: unreachable over the network, reachable through ConnectAsync.
        var started = await _sandbox.Runtime.ExecAsync(
            _sandbox.SandboxId,
            ["bash", "-c", $"(setsid socat TCP-LISTEN:{port},bind=127.0.0.1,fork,reuseaddr EXEC:cat >/dev/null 2>&1 &) ; for i in $(seq 50); do (exec 3<>/dev/tcp/127.0.0.1/{port}) 2>/dev/null && exit 0; sleep 0.1; done; exit 1"],
            ReadOnlyMemory<byte>.Empty, CancellationToken.None).WaitAsync(DockerTestEngine.Timeout);
        started.ExitCode.ShouldBe(0);
    }

    private static async Task<byte[]> ReadAllAsync(Stream stream)
    {
        using var buffer = new MemoryStream();
        await stream.CopyToAsync(buffer);
        return buffer.ToArray();
    }
}
