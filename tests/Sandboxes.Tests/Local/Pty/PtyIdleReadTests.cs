using RemoltBlazor.Sandboxes.Local.Pty;
using RemoltBlazor.Sandboxes.Runtime;

namespace RemoltBlazor.Sandboxes.Tests.Local.Pty;

/// <summary>
/// Idle terminals are the common case (an attached tmux client waiting for output): their pending reads must wait on
/// epoll, not in a blocking read() on a pool thread each. Alone in its collection: it measures the shared pool.
/// </summary>
[Collection(nameof(PtyDescriptorTests))]
public sealed class PtyIdleReadTests
{
    [Fact]
    public async Task ReadAsync_ManyIdleTerminals_LeaveThePoolFree()
    {
        const int count = 64;
        var processes = Enumerable.Range(0, count)
            .Select(_ => PtyProcess.Start(new PtyStartInfo("cat", [], PtyScreen.Environment(), "/", new TerminalSize(80, 24))))
            .ToList();
        try
        {
            var reads = processes.Select(process => process.Stream.ReadAsync(new byte[256]).AsTask()).ToList();
            await Task.Delay(TimeSpan.FromSeconds(1));

            // Reads parked in read() on pool threads would take every thread the pool has and leave the rest of them
            // (and everybody else's work) queued until the pool has grown by a thread per terminal, slowly.
            reads.ShouldAllBe(read => !read.IsCompleted);
            ThreadPool.PendingWorkItemCount.ShouldBeLessThan(count / 4);
        }
        finally
        {
            await Task.WhenAll(processes.Select(process => process.DisposeAsync().AsTask()));
        }
    }
}
