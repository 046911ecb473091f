using System.Formats.Tar;
using System.Security.Cryptography;
using System.Text;
using RemoltBlazor.Sandboxes.Runtime;

namespace RemoltBlazor.Sandboxes.Tests.Contract;

/// <summary>StartProcessAsync (streamed stdin/stdout, exit code, stderr) and ConnectAsync (the sandbox's loopback).</summary>
public abstract partial class SandboxRuntimeContractTests<THost>
{
    [RuntimeContractFact]
    public async Task StartProcessAsync_EightMegabytesThroughSha256sum_HashMatchesAndExitIsZero()
    {
        var data = RandomNumberGenerator.GetBytes(8 * 1024 * 1024);
        await using var process = await Runtime.StartProcessAsync(await SharedSandboxAsync(), ["sha256sum"], CancellationToken.None).WaitAsync(Timeout);

        var output = ReadAllAsync(process.Output);
        await WriteInChunksAsync(process, data);
        await process.CompleteInputAsync(CancellationToken.None);
        var text = Encoding.ASCII.GetString(await output.WaitAsync(Timeout));
        var exit = await process.WaitForExitAsync(CancellationToken.None).WaitAsync(Timeout);

        text.Split(' ')[0].ShouldBe(Convert.ToHexStringLower(SHA256.HashData(data)));
        exit.ExitCode.ShouldBe(0);
    }

    [RuntimeContractFact]
    public async Task StartProcessAsync_TwentyMegabytesInThroughTarAndBack_Intact()
    {
        // What the workspace upload and download do: a tar streamed into tar -x, and tar -c streamed back out.
        var sandboxId = await SharedSandboxAsync();
        var folder = $"/tmp/tar-{Guid.NewGuid():N}";
        var data = RandomNumberGenerator.GetBytes(20 * 1024 * 1024);
        using var archive = new MemoryStream();
        await using (var writer = new TarWriter(archive, leaveOpen: true))
        {
            await writer.WriteEntryAsync(new PaxTarEntry(TarEntryType.RegularFile, "big.bin") { DataStream = new MemoryStream(data) });
        }

        await using (var extract = await Runtime.StartProcessAsync(sandboxId, ["bash", "-c", $"mkdir -p {folder} && exec tar -x -C {folder}"], CancellationToken.None).WaitAsync(Timeout))
        {
            var drained = ReadAllAsync(extract.Output);
            await WriteInChunksAsync(extract, archive.ToArray());
            await extract.CompleteInputAsync(CancellationToken.None);
            (await drained.WaitAsync(Timeout)).ShouldBeEmpty();
            var exit = await extract.WaitForExitAsync(CancellationToken.None).WaitAsync(Timeout);
            exit.ExitCode.ShouldBe(0, exit.Stderr);
        }

        (await ShAsync(sandboxId, $"sha256sum {folder}/big.bin")).Split(' ')[0].ShouldBe(Convert.ToHexStringLower(SHA256.HashData(data)));

        await using var pack = await Runtime.StartProcessAsync(sandboxId, ["tar", "-c", "-C", folder, "big.bin"], CancellationToken.None).WaitAsync(Timeout);
        var packed = await ReadAllAsync(pack.Output).WaitAsync(Timeout);
        (await pack.WaitForExitAsync(CancellationToken.None).WaitAsync(Timeout)).ExitCode.ShouldBe(0);
        await using var reader = new TarReader(new MemoryStream(packed));
        var entry = (await reader.GetNextEntryAsync(copyData: true)).ShouldNotBeNull();
        entry.Name.ShouldBe("big.bin");
        SHA256.HashData(entry.DataStream.ShouldNotBeNull()).ShouldBe(SHA256.HashData(data));
        await ShAsync(sandboxId, $"rm -rf {folder}");
    }

    [RuntimeContractFact]
    public async Task StartProcessAsync_LargeOutputAndStderr_StdoutIsCleanAndStderrCollected()
    {
        await using var process = await Runtime.StartProcessAsync(
            await SharedSandboxAsync(), ["bash", "-c", "head -c 3000000 /dev/zero; echo oops >&2; exit 3"], CancellationToken.None).WaitAsync(Timeout);

        var output = await ReadAllAsync(process.Output).WaitAsync(Timeout);
        var exit = await process.WaitForExitAsync(CancellationToken.None).WaitAsync(Timeout);

        output.Length.ShouldBe(3_000_000);
        output.ShouldAllBe(b => b == 0);
        exit.ExitCode.ShouldBe(3);
        exit.Stderr.ShouldBe("oops\n");
    }

    [RuntimeContractFact]
    public async Task StartProcessAsync_StderrFlood_KeptApartAndBoundedAt64KiB()
    {
        await using var process = await Runtime.StartProcessAsync(
            await SharedSandboxAsync(), ["bash", "-c", "head -c 300000 /dev/zero | tr '\\0' e >&2; echo clean"], CancellationToken.None).WaitAsync(Timeout);

        var output = await ReadAllAsync(process.Output).WaitAsync(Timeout);
        var exit = await process.WaitForExitAsync(CancellationToken.None).WaitAsync(Timeout);

        Encoding.ASCII.GetString(output).ShouldBe("clean\n");
        exit.ExitCode.ShouldBe(0);
        exit.Stderr.ShouldBe(new string('e', 64 * 1024));
    }

    [RuntimeContractFact]
    public async Task StartProcessAsync_RunsAsDev()
    {
        await using var process = await Runtime.StartProcessAsync(await SharedSandboxAsync(), ["id", "-un"], CancellationToken.None).WaitAsync(Timeout);

        var output = await ReadAllAsync(process.Output).WaitAsync(Timeout);

        Encoding.ASCII.GetString(output).ShouldBe("dev\n");
    }

    [RuntimeContractFact]
    public async Task ConnectAsync_ServerOnLoopback_RoundTripsBytesBothWays()
    {
        const int port = 17001;
        var sandboxId = await SharedSandboxAsync();
        await StartLoopbackEchoServerAsync(sandboxId, port);

        await using var connection = await Runtime.ConnectAsync(sandboxId, port, CancellationToken.None).WaitAsync(Timeout);
        var payload = RandomNumberGenerator.GetBytes(200_000);
        var echoed = new byte[payload.Length];
        var reader = connection.ReadExactlyAsync(echoed, CancellationToken.None).AsTask();
        await connection.WriteAsync(payload, CancellationToken.None);
        await reader.WaitAsync(Timeout);

        echoed.ShouldBe(payload);
    }

    [RuntimeContractFact]
    public async Task ConnectAsync_NothingListening_ThrowsPortClosed()
    {
        var sandboxId = await SharedSandboxAsync();

        await Should.ThrowAsync<SandboxPortClosedException>(() => Runtime.ConnectAsync(sandboxId, 17999, CancellationToken.None).WaitAsync(Timeout));
    }

    [RuntimeContractFact]
    public async Task ConnectAsync_UnknownSandbox_ThrowsNotFound()
    {
        await Should.ThrowAsync<SandboxNotFoundException>(
            () => Runtime.ConnectAsync("remolt-no-such-sandbox", 80, CancellationToken.None).WaitAsync(Timeout));
    }

    private async Task StartLoopbackEchoServerAsync(string sandboxId, int port)
    {
        // socat echo server bound to 127.0.0.1 only: unreachable over the network, reachable through ConnectAsync.
        var started = await ExecAsync(
            sandboxId,
            ["bash", "-c", $"(setsid socat TCP-LISTEN:{port},bind=127.0.0.1,fork,reuseaddr EXEC:cat >/dev/null 2>&1 &) ; for i in $(seq 50); do (exec 3<>/dev/tcp/127.0.0.1/{port}) 2>/dev/null && exit 0; sleep 0.1; done; exit 1"]);
        started.ExitCode.ShouldBe(0);
    }

    private static async Task WriteInChunksAsync(SandboxProcess process, byte[] data)
    {
        for (var offset = 0; offset < data.Length; offset += 100_000)
        {
            await process.WriteInputAsync(data.AsMemory(offset, Math.Min(100_000, data.Length - offset)), CancellationToken.None);
        }
    }
}
