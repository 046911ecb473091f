using RemoltBlazor.Sandboxes.Files;

namespace RemoltBlazor.Sandboxes.Tests.Files;

public sealed class FileChangeBatcherTests
{
    [Fact]
    public void Flush_Duplicates_MergedIntoOneBatch()
    {
        var batcher = new FileChangeBatcher();
        batcher.Add(new FileChange("modified", "/a", false));
        batcher.Add(new FileChange("modified", "/a", false));
        batcher.Add(new FileChange("created", "/b", false));

        batcher.Flush();

        batcher.Reader.TryRead(out var batch).ShouldBeTrue();
        batch.ShouldBe([new FileChange("modified", "/a", false), new FileChange("created", "/b", false)]);
        batcher.Flush();
        batcher.Reader.TryRead(out _).ShouldBeFalse(); // nothing new: no empty batch
    }

    [Fact]
    public void Add_ReaderStalled_NeverBlocksAndCollapsesPastTheLimit()
    {
        var batcher = new FileChangeBatcher();
        for (var i = 0; i < 10; i++)
        {
            batcher.Add(new FileChange("created", $"/f{i}", false));
            batcher.Flush();
        }

        // The channel holds a few batches; the rest waits in the pending batch, which collapses once too big.
        for (var i = 0; i < FileChangeBatcher.MaxBatch + 1; i++)
        {
            batcher.Add(new FileChange("created", $"/g{i}", false));
        }

        var batches = new List<IReadOnlyList<FileChange>>();
        while (batcher.Reader.TryRead(out var batch))
        {
            batches.Add(batch);
        }

        batcher.Flush();
        batcher.Reader.TryRead(out var last).ShouldBeTrue();
        last.ShouldBe([FileChange.Everything]);
        batches.SelectMany(b => b).Select(c => c.Path).ShouldBe(Enumerable.Range(0, batches.Count).Select(i => $"/f{i}"));
    }

    [Fact]
    public async Task Complete_FlushesThenEnds()
    {
        var batcher = new FileChangeBatcher();
        batcher.Add(new FileChange("deleted", "/x", true));

        batcher.Complete();

        var all = new List<IReadOnlyList<FileChange>>();
        await foreach (var batch in batcher.Reader.ReadAllAsync().WithCancellation(new CancellationTokenSource(TimeSpan.FromSeconds(5)).Token))
        {
            all.Add(batch);
        }

        all.ShouldHaveSingleItem().ShouldBe([new FileChange("deleted", "/x", true)]);
    }
}
