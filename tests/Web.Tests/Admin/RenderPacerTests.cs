using System.Threading.Channels;
using RemoltBlazor.Web.Components.Pages.Admin;
using RemoltBlazor.Web.Tests.Components;

namespace RemoltBlazor.Web.Tests.Admin;

/// <summary>The admin page's render throttle on a fake clock: batches coalesce to their newest item, renders are spaced.</summary>
public sealed class RenderPacerTests
{
    private static readonly TimeSpan s_interval = TimeSpan.FromMilliseconds(250);

    private readonly SignallingTimeProvider _time = new();
    private readonly Channel<int> _feed = Channel.CreateUnbounded<int>();
    private readonly List<int> _rendered = [];
    private readonly SemaphoreSlim _renders = new(0);

    [Fact]
    public async Task RunAsync_UpdatesDuringTheWait_RenderOnceWithTheNewest()
    {
        using var stop = new CancellationTokenSource();
        var run = StartAsync(stop.Token);

        _feed.Writer.TryWrite(1);
        await NextRenderAsync();
        await _time.NextTimerAsync(); // waiting out the interval
        for (var i = 2; i <= 50; i++)
        {
            _feed.Writer.TryWrite(i);
        }

        _time.Advance(s_interval);
        await NextRenderAsync();

        _rendered.ShouldBe([1, 50]);
        await StopAsync(stop, run);
    }

    [Fact]
    public async Task RunAsync_AFeedOfFiftyASecond_AtMostFourRendersASecond()
    {
        using var stop = new CancellationTokenSource();
        var run = StartAsync(stop.Token);

        // One simulated second: an update every 20 ms, the clock moving with it.
        var step = TimeSpan.FromMilliseconds(20);
        for (var i = 1; i <= 50; i++)
        {
            _feed.Writer.TryWrite(i);
            await Task.Delay(5); // let the loop run what is due
            _time.Advance(step);
        }

        await Task.Delay(50);
        // Four on an idle machine (0, 260, 520, 780 ms); a slow loop can only start its waits later, so fewer, never more.
        _rendered.Count.ShouldBeInRange(2, 5);
        _rendered.ShouldBe(_rendered.Order().ToList()); // newest wins, never an older picture after a newer one
        _rendered[0].ShouldBe(1);
        await StopAsync(stop, run);
    }

    [Fact]
    public async Task RunAsync_QuietFeed_NoRenders()
    {
        using var stop = new CancellationTokenSource();
        var run = StartAsync(stop.Token);

        _time.Advance(TimeSpan.FromSeconds(10));
        await Task.Delay(50);

        _rendered.ShouldBeEmpty();
        _time.HasUnclaimedTimer.ShouldBeFalse();
        await StopAsync(stop, run);
    }

    [Fact]
    public async Task RunAsync_FeedCompletes_Returns()
    {
        var run = StartAsync(CancellationToken.None);
        _feed.Writer.TryWrite(7);
        await NextRenderAsync();
        _feed.Writer.Complete();
        _time.Advance(s_interval);

        await run.WaitAsync(TimeSpan.FromSeconds(10));
        _rendered.ShouldBe([7]);
    }

    private Task StartAsync(CancellationToken cancellationToken) =>
        new RenderPacer(_time, s_interval).RunAsync(_feed.Reader, item =>
        {
            _rendered.Add(item);
            _renders.Release();
            return Task.CompletedTask;
        }, cancellationToken);

    private async Task NextRenderAsync()
    {
        if (!await _renders.WaitAsync(TimeSpan.FromSeconds(10)))
        {
            throw new TimeoutException("No render.");
        }
    }

    private static async Task StopAsync(CancellationTokenSource stop, Task run)
    {
        await stop.CancelAsync();
        await Should.ThrowAsync<OperationCanceledException>(run.WaitAsync(TimeSpan.FromSeconds(10)));
    }
}
