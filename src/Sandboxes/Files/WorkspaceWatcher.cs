using System.Runtime.CompilerServices;
using Microsoft.Extensions.Logging;
using RemoltBlazor.Data.Entities;
using RemoltBlazor.Sandboxes.Runtime;
using RemoltBlazor.Sandboxes.Sessions;

namespace RemoltBlazor.Sandboxes.Files;

/// <summary>
/// One subscriber's change feed: <c>inotifywait -m -r</c> in the sandbox (excluding <c>.git</c> and
/// <c>node_modules</c>, whose churn would drown everything else and exhaust inotify watches), parsed by
/// <see cref="InotifyParser"/>, batched every <see cref="BatchWindow"/> by <see cref="FileChangeBatcher"/>. When the
/// sandbox has no inotifywait (an image older than the file API) or it stops on its own (the host's inotify watch
/// limit), a <c>find</c> snapshot taken every <see cref="PollInterval"/> is compared instead. Ends when cancelled or
/// when the sandbox is gone.
/// </summary>
internal sealed partial class WorkspaceWatcher(WorkspaceFiles files, Session session, TimeProvider timeProvider, ILogger logger)
{
    public static readonly TimeSpan BatchWindow = TimeSpan.FromMilliseconds(150);
    public static readonly TimeSpan PollInterval = TimeSpan.FromSeconds(2);

    public async IAsyncEnumerable<IReadOnlyList<FileChange>> RunAsync([EnumeratorCancellation] CancellationToken cancellationToken)
    {
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var batcher = new FileChangeBatcher();
        var parser = new InotifyParser(batcher.Add);
        var produce = ProduceAsync(batcher, parser, stop.Token);
        var flush = FlushAsync(batcher, parser, stop.Token);
        try
        {
            await foreach (var batch in batcher.Reader.ReadAllAsync(cancellationToken))
            {
                yield return batch;
            }
        }
        finally
        {
            await stop.CancelAsync();
            await Task.WhenAll(produce, flush);
        }
    }

    private async Task ProduceAsync(FileChangeBatcher batcher, InotifyParser parser, CancellationToken cancellationToken)
    {
        try
        {
            if (!await InotifyAsync(parser, cancellationToken))
            {
                await PollAsync(batcher, cancellationToken);
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
        }
        catch (SessionException ex)
        {
            // The sandbox went away (the session ended) or the runtime is down: the feed ends.
            LogEnded(logger, session.Id, ex.Message);
        }
        catch (Exception ex) when (ex is IOException or SandboxRuntimeException)
        {
            LogEnded(logger, session.Id, ex.Message);
        }
        finally
        {
            parser.Expire();
            parser.Expire();
            batcher.Complete();
        }
    }

    /// <summary>Streams inotify's events into the parser; false when polling must take over.</summary>
    private async Task<bool> InotifyAsync(InotifyParser parser, CancellationToken cancellationToken)
    {
        await using var process = await files.StartAsync(
            session, FileScripts.Command("watch", FileScripts.WatchFormat, FileScripts.ExcludedPattern), cancellationToken);
        var buffer = new byte[16 * 1024];
        int read;
        var any = false;
        while ((read = await process.Output.ReadAsync(buffer, cancellationToken)) > 0)
        {
            any = true;
            parser.Feed(buffer.AsSpan(0, read));
        }

        var exit = await process.WaitForExitAsync(cancellationToken);
        if (session.State != SessionState.Running)
        {
            return true;
        }

        LogFallback(logger, session.Id, exit.ExitCode, any, exit.Stderr.Trim());
        return false;
    }

    private async Task PollAsync(FileChangeBatcher batcher, CancellationToken cancellationToken)
    {
        FileSnapshot? before = null;
        while (true)
        {
            var result = await files.RunAsync(session, FileScripts.Command("snapshot"), ReadOnlyMemory<byte>.Empty, cancellationToken);
            // A truncated listing would look like mass deletion: keep the last complete one.
            if (!result.Truncated)
            {
                var now = FileSnapshot.Parse(result.Stdout);
                if (before is not null)
                {
                    foreach (var change in now.Since(before))
                    {
                        batcher.Add(change);
                    }
                }

                before = now;
            }

            await Task.Delay(PollInterval, timeProvider, cancellationToken);
        }
    }

    private async Task FlushAsync(FileChangeBatcher batcher, InotifyParser parser, CancellationToken cancellationToken)
    {
        using var timer = new PeriodicTimer(BatchWindow, timeProvider);
        try
        {
            while (await timer.WaitForNextTickAsync(cancellationToken))
            {
                parser.Expire();
                batcher.Flush();
            }
        }
        catch (OperationCanceledException)
        {
            // The subscriber left or the feed ended.
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Watching the files of {SessionId} ended: {Reason}")]
    private static partial void LogEnded(ILogger logger, string sessionId, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "inotifywait in {SessionId} ended (exit {ExitCode}, output seen: {AnyOutput}: {Stderr}); polling the workspace instead")]
    private static partial void LogFallback(ILogger logger, string sessionId, int exitCode, bool anyOutput, string stderr);
}
