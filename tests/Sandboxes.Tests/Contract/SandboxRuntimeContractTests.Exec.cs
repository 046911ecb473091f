using System.Security.Cryptography;
using System.Text;
using RemoltBlazor.Sandboxes.Runtime;

namespace RemoltBlazor.Sandboxes.Tests.Contract;

/// <summary>ExecAsync (no TTY, bounded output) and what every command in a sandbox can count on: user, folders, env.</summary>
public abstract partial class SandboxRuntimeContractTests<THost>
{
    private const int ExecOutputCap = 16 * 1024 * 1024;

    [RuntimeContractFact]
    public async Task ExecAsync_CatOneMegabyte_RoundTripsStdin()
    {
        var data = RandomNumberGenerator.GetBytes(1024 * 1024);

        var result = await ExecAsync(await SharedSandboxAsync(), ["cat"], data);

        result.ExitCode.ShouldBe(0);
        result.Stdout.ShouldBe(data);
        result.Truncated.ShouldBeFalse();
    }

    [RuntimeContractFact]
    public async Task ExecAsync_WcOfFiveMegabytes_SeesAllOfStdinAndItsEnd()
    {
        var result = await ExecAsync(await SharedSandboxAsync(), ["wc", "-c"], new byte[5 * 1024 * 1024]);

        result.ExitCode.ShouldBe(0);
        Encoding.UTF8.GetString(result.Stdout).Trim().ShouldBe((5 * 1024 * 1024).ToString());
    }

    [RuntimeContractFact]
    public async Task ExecAsync_StderrAndExitCode_AreSeparated()
    {
        var result = await ExecAsync(await SharedSandboxAsync(), ["sh", "-c", "echo out; echo err >&2; whoami; exit 7"]);

        result.ExitCode.ShouldBe(7);
        Encoding.UTF8.GetString(result.Stdout).ShouldBe("out\ndev\n");
        Encoding.UTF8.GetString(result.Stderr).ShouldBe("err\n");
    }

    [RuntimeContractFact]
    public async Task ExecAsync_TarFromStdin_SeesEndOfInput()
    {
        var tar = await CreateTarGzAsync();

        var result = await ExecAsync(
            await SharedSandboxAsync(), ["sh", "-c", "mkdir -p /tmp/untar && tar xzf - -C /tmp/untar && cat /tmp/untar/hello.txt"], tar);

        result.ExitCode.ShouldBe(0, Encoding.UTF8.GetString(result.Stderr));
        Encoding.UTF8.GetString(result.Stdout).ShouldBe("hello from tar\n");
    }

    [RuntimeContractFact]
    public async Task ExecAsync_OutputOverCap_TruncatesAndFlags()
    {
        var result = await ExecAsync(await SharedSandboxAsync(), ["sh", "-c", "head -c 20000000 /dev/zero"]);

        result.ExitCode.ShouldBe(0);
        result.Truncated.ShouldBeTrue();
        result.Stdout.Length.ShouldBe(ExecOutputCap);
    }

    [RuntimeContractFact]
    public async Task ExecAsync_StderrOverCap_TruncatesStderrAndKeepsStdoutWhole()
    {
        var result = await ExecAsync(await SharedSandboxAsync(), ["sh", "-c", "head -c 20000000 /dev/zero >&2; echo out"]);

        result.ExitCode.ShouldBe(0);
        result.Truncated.ShouldBeTrue();
        result.Stderr.Length.ShouldBe(ExecOutputCap);
        Encoding.UTF8.GetString(result.Stdout).ShouldBe("out\n");
    }

    [RuntimeContractFact]
    public async Task ExecAsync_UnknownSandbox_ThrowsSandboxNotFound()
    {
        await Should.ThrowAsync<SandboxNotFoundException>(
            Runtime.ExecAsync($"remolt-t-missing-{Guid.NewGuid():N}", ["true"], ReadOnlyMemory<byte>.Empty, CancellationToken.None).WaitAsync(Timeout));
    }

    [RuntimeContractFact]
    public async Task ExecAsync_RunsAsDevUid1000InItsHome()
    {
        (await ShAsync(await SharedSandboxAsync(), "id -u; id -g; id -un; pwd; echo $HOME")).ShouldBe("1000\n1000\ndev\n/home/dev\n/home/dev\n");
    }

    [RuntimeContractFact]
    public async Task SpecEnv_IsVisibleToALoginShell()
    {
        var result = await ExecAsync(await SharedSandboxAsync(), ["bash", "-lc", "echo \"[$CONTRACT_GREETING] [$REMOLT_TEST]\""]);

        result.ExitCode.ShouldBe(0, Encoding.UTF8.GetString(result.Stderr));
        Encoding.UTF8.GetString(result.Stdout).ShouldEndWith("[hello contract] [1]\n");
    }

    [RuntimeContractFact]
    public async Task Workspace_ExistsAndIsWritableByDev()
    {
        var file = $"/home/dev/workspace/.contract-{Guid.NewGuid():N}";

        (await ShAsync(await SharedSandboxAsync(), $"test -d /home/dev/workspace && test -w /home/dev/workspace && echo written > {file} && stat -c '%U %u' {file} && cat {file} && rm {file}"))
            .ShouldBe("dev 1000\nwritten\n"); // the folder itself may be a volume's (root, group fsGroup on Kubernetes)
    }

    private static async Task<byte[]> CreateTarGzAsync()
    {
        using var output = new MemoryStream();
        await using (var gzip = new System.IO.Compression.GZipStream(output, System.IO.Compression.CompressionLevel.Fastest, leaveOpen: true))
        await using (var tar = new System.Formats.Tar.TarWriter(gzip))
        {
            var entry = new System.Formats.Tar.PaxTarEntry(System.Formats.Tar.TarEntryType.RegularFile, "hello.txt")
            {
                DataStream = new MemoryStream("hello from tar\n"u8.ToArray()),
            };
            await tar.WriteEntryAsync(entry);
        }

        return output.ToArray();
    }
}
