using System.Runtime.CompilerServices;
using System.Threading.Channels;

namespace RemoltBlazor.Sandboxes.Images;

/// <summary>
/// One running build of one image, shared by every launch waiting for it. Progress goes to each watcher through its
/// own one-slot channel that keeps only the newest snapshot, so the builder never blocks and a slow page only skips
/// snapshots. A waiter that leaves stops waiting; the build is cancelled when the last waiter leaves or on
/// <see cref="Cancel"/>.
/// </summary>
public sealed class ImageBuild : IImageBuildReporter, IDisposable
{
    private const int MaxLineLength = 1000;

    private readonly Lock _gate = new();
    private readonly CancellationTokenSource _cancel = new();
    private readonly TaskCompletionSource _done = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly List<Channel<ImageBuildProgress>> _watchers = [];
    private readonly Queue<string> _tail = new();
    private readonly Queue<string> _stepOutput = new();
    private ImageBuildProgress _progress;
    private int _waiters;

    internal ImageBuild(SandboxImagePlan plan, string startedBy)
    {
        Plan = plan;
        StartedBy = startedBy;
        _progress = new ImageBuildProgress(plan.Image, plan.AgentId, ImageBuildState.Running, 0, plan.Steps, plan.Summary, []);
    }

    public SandboxImagePlan Plan { get; }

    public string Image => Plan.Image;

    /// <summary>The caller whose launch started the build (for the event log).</summary>
    internal string StartedBy { get; }

    internal CancellationToken CancellationToken => _cancel.Token;

    /// <summary>The task running the build (owned by <see cref="SandboxImages"/>, awaited by nobody but tests).</summary>
    internal Task? Running { get; set; }

    public ImageBuildProgress Progress
    {
        get
        {
            lock (_gate)
            {
                return _progress;
            }
        }
    }

    /// <summary>Completes when the build succeeded; throws <see cref="ImageBuildException"/> when it failed or was cancelled.</summary>
    public Task Completion => _done.Task;

    /// <summary>
    /// Waits for the build as one of its waiters. Cancelling <paramref name="cancellationToken"/> leaves: the build goes on
    /// for the others, and is cancelled when nobody waits any more.
    /// </summary>
    public async Task WaitAsync(CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            _waiters++;
        }

        try
        {
            await _done.Task.WaitAsync(cancellationToken);
        }
        finally
        {
            bool last;
            lock (_gate)
            {
                last = --_waiters == 0 && !_done.Task.IsCompleted;
            }

            if (last && cancellationToken.IsCancellationRequested)
            {
                Cancel();
            }
        }
    }

    /// <summary>Stops the build for everyone waiting for it (the launch page's Cancel button).</summary>
    public void Cancel()
    {
        try
        {
            _cancel.Cancel();
        }
        catch (ObjectDisposedException)
        {
            // Finished (and disposed) meanwhile: nothing left to stop.
        }
    }

    /// <summary>Called by <see cref="SandboxImages"/> once the build has finished.</summary>
    public void Dispose() => _cancel.Dispose();

    /// <summary>The current snapshot, then each change, until the build finishes (its last snapshot included).</summary>
    public async IAsyncEnumerable<ImageBuildProgress> WatchAsync([EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var channel = Channel.CreateBounded<ImageBuildProgress>(new BoundedChannelOptions(1)
        {
            FullMode = BoundedChannelFullMode.DropOldest,
            SingleReader = true,
        });
        lock (_gate)
        {
            channel.Writer.TryWrite(_progress);
            if (_progress.IsFinished)
            {
                channel.Writer.TryComplete();
            }
            else
            {
                _watchers.Add(channel);
            }
        }

        try
        {
            await foreach (var progress in channel.Reader.ReadAllAsync(cancellationToken))
            {
                yield return progress;
            }
        }
        finally
        {
            lock (_gate)
            {
                _watchers.Remove(channel);
            }
        }
    }

    void IImageBuildReporter.SetTotal(int steps) => Update(p => p with { StepsTotal = Math.Max(steps, p.StepsDone) });

    void IImageBuildReporter.BeginStep(int index, string text)
    {
        lock (_gate)
        {
            _stepOutput.Clear();
        }

        Update(p => p with { StepsDone = Math.Max(p.StepsDone, index), StepsTotal = Math.Max(p.StepsTotal, index + 1), CurrentStep = Trim(text) });
    }

    void IImageBuildReporter.Line(string line)
    {
        line = Trim(line);
        lock (_gate)
        {
            Push(_stepOutput, line);
            Push(_tail, line);
        }

        Update(p => p with { LogTail = [.. _tail] });
    }

    internal void Succeed()
    {
        Finish(p => p with { State = ImageBuildState.Succeeded, StepsDone = p.StepsTotal });
        _done.TrySetResult();
    }

    internal void Fail(ImageBuildException error)
    {
        var cancelled = error is ImageBuildCancelledException;
        IReadOnlyList<string> output = error.Output.Count > 0 ? error.Output : cancelled ? [] : [.. _stepOutput];
        Finish(p => p with
        {
            State = cancelled ? ImageBuildState.Cancelled : ImageBuildState.Failed,
            Error = error.Message,
            FailedStepOutput = output,
        });
        _done.TrySetException(error);
    }

    /// <summary>The current step's last lines (what a failure shows).</summary>
    internal IReadOnlyList<string> StepOutput()
    {
        lock (_gate)
        {
            return [.. _stepOutput];
        }
    }

    private void Finish(Func<ImageBuildProgress, ImageBuildProgress> change)
    {
        Update(change);
        lock (_gate)
        {
            foreach (var watcher in _watchers)
            {
                watcher.Writer.TryComplete();
            }

            _watchers.Clear();
        }
    }

    private void Update(Func<ImageBuildProgress, ImageBuildProgress> change)
    {
        lock (_gate)
        {
            if (_progress.IsFinished)
            {
                return;
            }

            _progress = change(_progress);
            foreach (var watcher in _watchers)
            {
                watcher.Writer.TryWrite(_progress);
            }
        }
    }

    private static void Push(Queue<string> lines, string line)
    {
        lines.Enqueue(line);
        while (lines.Count > ImageBuildProgress.TailLines)
        {
            lines.Dequeue();
        }
    }

    private static string Trim(string text)
    {
        text = text.TrimEnd('\r', '\n');
        return text.Length > MaxLineLength ? text[..MaxLineLength] + "…" : text;
    }
}
