using System.Collections.Concurrent;
using RemoltBlazor.Sandboxes.Files;
using RemoltBlazor.Sandboxes.Sessions;
using RemoltBlazor.TestSupport;

namespace RemoltBlazor.Sandboxes.Tests.Files;

/// <summary>The change feed on real Docker: inotify in the sandbox, the polling fallback, and the end of the feed.</summary>
public sealed class WatchTests(FilesSandbox sandbox) : IClassFixture<FilesSandbox>
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(20);

    [DockerFact]
    public async Task Watch_CreateModifyMoveDelete_ReportedInBatches()
    {
        await sandbox.FolderAsync("w");
        await using var feed = await Feed.StartAsync(sandbox.Files, sandbox.Session, sandbox.ShAsync, "w");

        await sandbox.ShAsync("cd ~/workspace/w && printf a > a.txt && mkdir sub && printf more >> a.txt && mv a.txt sub/b.txt && mkdir gone && rmdir gone"
            + " && printf x > \"$(printf 'odd\\nname')\" && mkdir -p .git node_modules/pkg && printf x > .git/HEAD && printf x > node_modules/pkg/i.js");
        await feed.WaitForAsync(c => c.Kind == "moved" && c.Path == "/w/sub/b.txt" && c.OldPath == "/w/a.txt" && !c.IsDirectory);
        await feed.WaitForAsync(c => c.Kind == "deleted" && c.Path == "/w/gone" && c.IsDirectory);
        await feed.WaitForAsync(c => c.Kind == "created" && c.Path == "/w/odd\nname");
        feed.Seen.ShouldContain(c => c.Kind == "created" && c.Path == "/w/a.txt");
        feed.Seen.ShouldContain(c => c.Kind == "modified" && c.Path == "/w/a.txt");
        feed.Seen.ShouldContain(c => c.Kind == "created" && c.Path == "/w/sub" && c.IsDirectory);

        await sandbox.ShAsync("rm ~/workspace/w/sub/b.txt && mv ~/workspace/w/sub /tmp/moved-out");
        await feed.WaitForAsync(c => c.Kind == "deleted" && c.Path == "/w/sub/b.txt");
        await feed.WaitForAsync(c => c.Kind == "deleted" && c.Path == "/w/sub" && c.IsDirectory); // moved out of the workspace
        feed.Seen.ShouldNotContain(c => c.Path.Contains("/.git") || c.Path.Contains("node_modules/"));
        feed.Batches.ShouldBeLessThan(feed.Seen.Count); // several changes per batch

        // Leaving the feed stops inotifywait in the sandbox (an exec without a TTY would otherwise outlive us).
        (await sandbox.ShAsync("pgrep -c inotifywait || true")).ShouldNotBe("0");
        await feed.DisposeAsync();
        await Poll.UntilAsync(async () => await sandbox.ShAsync("pgrep -c inotifywait || true") == "0", Wait);
    }

    [DockerFact]
    public async Task Watch_NoInotifywaitInTheSandbox_PollsInstead()
    {
        var session = await sandbox.Host.CreateAsync();
        await DockerCli.RunAsync($"exec -u root {session.SandboxId} mv /usr/bin/inotifywait /usr/bin/inotifywait.off");
        Task<string> Sh(string script) => FilesSandbox.ShAsync(sandbox.Host, session, script);
        await Sh("mkdir -p ~/workspace/p && printf old > ~/workspace/p/keep.txt && printf x > ~/workspace/p/doomed.txt");
        await using var feed = await Feed.StartAsync(sandbox.Files, session, Sh, "p");

        await Sh("cd ~/workspace/p && printf newer > keep.txt && rm doomed.txt && mkdir d");

        await feed.WaitForAsync(c => c.Kind == "modified" && c.Path == "/p/keep.txt");
        await feed.WaitForAsync(c => c.Kind == "deleted" && c.Path == "/p/doomed.txt");
        await feed.WaitForAsync(c => c.Kind == "created" && c.Path == "/p/d" && c.IsDirectory);
        await sandbox.Host.Sessions.EndAsync(session, "user", CancellationToken.None).WaitAsync(Wait);
        await feed.Ended.WaitAsync(Wait);
    }

    [DockerFact]
    public async Task Watch_SessionEnds_FeedEnds()
    {
        var session = await sandbox.Host.CreateAsync();
        await using var feed = await Feed.StartAsync(sandbox.Files, session, s => FilesSandbox.ShAsync(sandbox.Host, session, s), "");

        await sandbox.Host.Sessions.EndAsync(session, "user", CancellationToken.None).WaitAsync(Wait);

        await feed.Ended.WaitAsync(Wait);
    }

    /// <summary>A running feed collected in the background; started once a probe file shows it is live.</summary>
    private sealed class Feed : IAsyncDisposable
    {
        // Not disposed: the feed's enumeration may still hold its token while it winds down.
        private readonly CancellationTokenSource _stop = new();
        private readonly ConcurrentQueue<FileChange> _seen = new();
        private readonly SemaphoreSlim _arrived = new(0);
        private int _batches;

        public IReadOnlyList<FileChange> Seen => [.. _seen];

        public int Batches => _batches;

        public Task Ended { get; private set; } = Task.CompletedTask;

        public static async Task<Feed> StartAsync(WorkspaceFiles files, Session session, Func<string, Task<string>> sh, string folder)
        {
            var feed = new Feed();
            feed.Ended = feed.CollectAsync(files.WatchAsync(session, feed._stop.Token));
            // inotifywait sets its watches up after it starts: touch a probe until one is reported.
            var probe = $"{folder}/.probe".TrimStart('/');
            using var ready = new CancellationTokenSource(Wait);
            for (var i = 0; !feed._seen.Any(c => c.Path == "/" + probe); i++)
            {
                ready.Token.ThrowIfCancellationRequested();
                await sh($"printf {i} > ~/workspace/{probe}");
                await Task.Delay(300);
            }

            await sh($"rm -f ~/workspace/{probe}");
            return feed;
        }

        public async Task WaitForAsync(Func<FileChange, bool> match)
        {
            using var timeout = new CancellationTokenSource(Wait);
            while (!_seen.Any(match))
            {
                try
                {
                    await _arrived.WaitAsync(timeout.Token);
                }
                catch (OperationCanceledException)
                {
                    throw new ShouldAssertException($"No such change within {Wait}; seen: {string.Join(", ", _seen)}");
                }
            }
        }

        public async ValueTask DisposeAsync()
        {
            if (!_stop.IsCancellationRequested)
            {
                await _stop.CancelAsync();
            }

            await Ended.WaitAsync(Wait);
        }

        private async Task CollectAsync(IAsyncEnumerable<IReadOnlyList<FileChange>> batches)
        {
            try
            {
                await foreach (var batch in batches)
                {
                    Interlocked.Increment(ref _batches);
                    foreach (var change in batch)
                    {
                        _seen.Enqueue(change);
                    }

                    _arrived.Release();
                }
            }
            catch (OperationCanceledException)
            {
            }
        }
    }
}
