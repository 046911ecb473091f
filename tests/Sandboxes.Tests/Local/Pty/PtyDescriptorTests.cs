using RemoltBlazor.Sandboxes.Local.Pty;
using RemoltBlazor.Sandboxes.Runtime;

namespace RemoltBlazor.Sandboxes.Tests.Local.Pty;

/// <summary>Counts the test process's terminal descriptors, so nothing else may open or close any meanwhile.</summary>
[CollectionDefinition(nameof(PtyDescriptorTests), DisableParallelization = true)]
public sealed class PtyDescriptorCollection;

[Collection(nameof(PtyDescriptorTests))]
public sealed class PtyDescriptorTests
{
    [Fact]
    public async Task DisposeAsync_TwoHundredTerminals_LeakNoDescriptors()
    {
        // Warm up both paths (the socket engine and the process reaper open descriptors of their own once).
        await (await StartAndEndAsync(0)).DisposeAsync();
        await (await StartAndEndAsync(1)).DisposeAsync();
        var before = OpenDescriptors();

        for (var i = 0; i < 200; i++)
        {
            await using var process = await StartAndEndAsync(i);
        }

        OpenDescriptors().ShouldBeLessThanOrEqualTo(before);
    }

    // Half of them exit and are read to the end, half are disposed while running.
    private static async Task<PtyProcess> StartAndEndAsync(int i)
    {
        var process = PtyProcess.Start(new PtyStartInfo(
            i % 2 == 0 ? "true" : "cat", [], PtyScreen.Environment(), "/", new TerminalSize(80, 24)));
        if (i % 2 == 0)
        {
            var buffer = new byte[256];
            while (await process.Stream.ReadAsync(buffer).AsTask().WaitAsync(PtyScreen.Timeout) > 0)
            {
            }
        }

        return process;
    }

    /// <summary>
    /// The process's terminal descriptors (masters and slaves): what a leaking PTY keeps. Other descriptors come and go
    /// with whatever else the test process still does in the background (earlier classes' sockets, timers, pipes).
    /// </summary>
    private static int OpenDescriptors() => Directory.GetFileSystemEntries("/proc/self/fd").Count(fd =>
    {
        try
        {
            var target = new FileInfo(fd).LinkTarget ?? "";
            return target == "/dev/ptmx" || target.StartsWith("/dev/pts/", StringComparison.Ordinal);
        }
        catch (IOException)
        {
            return false; // closed meanwhile
        }
    });
}
