using RemoltBlazor.Bench.Cdp;

namespace RemoltBlazor.Bench.Admin;

/// <summary>
/// The admin page in headless Chromium (bare DevTools, as the circuit path), and a probe inside it that counts how
/// often the page's DOM changes: a MutationObserver marks a change, and a requestAnimationFrame loop counts the frames
/// that had one (what the user can see update), for the sessions grid and for the whole page; the observer's callbacks
/// (one per batch of DOM changes, so about one per Blazor render batch) are counted too.
/// </summary>
internal sealed class AdminPageProbe(CdpPage page)
{
    private const string Install = """
        () => {
          const grid = document.querySelector('[data-testid=session-grid]');
          const root = document.querySelector('.admin') || document.body;
          const p = { gridFrames: 0, pageFrames: 0, gridCallbacks: 0, pageCallbacks: 0, gridDirty: false, pageDirty: false };
          new MutationObserver(() => { p.gridCallbacks++; p.gridDirty = true; })
            .observe(grid, { subtree: true, childList: true, characterData: true, attributes: true });
          new MutationObserver(() => { p.pageCallbacks++; p.pageDirty = true; })
            .observe(root, { subtree: true, childList: true, characterData: true, attributes: true });
          const frame = () => {
            if (p.gridDirty) { p.gridFrames++; p.gridDirty = false; }
            if (p.pageDirty) { p.pageFrames++; p.pageDirty = false; }
            requestAnimationFrame(frame);
          };
          requestAnimationFrame(frame);
          window.__adminProbe = p;
        }
        """;

    private const string Read = """
        () => { const p = window.__adminProbe; return { gridFrames: p.gridFrames, pageFrames: p.pageFrames, gridCallbacks: p.gridCallbacks, pageCallbacks: p.pageCallbacks, t: performance.now() }; }
        """;

    /// <summary>Opens <c>/admin</c> and waits until the grid lists <paramref name="sessions"/> rows with CPU numbers.</summary>
    public async Task OpenAsync(Uri baseAddress, int sessions, TimeSpan timeout)
    {
        await page.NavigateAsync(new Uri(baseAddress, "admin").ToString(), timeout);
        await page.WaitForAsync(
            $"() => document.querySelector('[data-testid=session-count]')?.textContent.trim() === '{sessions}' " +
            $"&& [...document.querySelectorAll('[data-testid=cpu]')].filter(c => c.textContent.includes('%')).length >= {sessions}",
            timeout);
        await page.EvaluateAsync(Install);
    }

    public async Task<Counts> ReadAsync()
    {
        var value = await page.EvaluateAsync(Read);
        return new Counts(
            value.GetProperty("gridFrames").GetInt64(), value.GetProperty("pageFrames").GetInt64(),
            value.GetProperty("gridCallbacks").GetInt64(), value.GetProperty("pageCallbacks").GetInt64(),
            value.GetProperty("t").GetDouble());
    }

    /// <summary>Navigates away (to about:blank), which ends the page's circuit at once.</summary>
    public Task LeaveAsync(TimeSpan timeout) => page.NavigateAsync("about:blank", timeout);

    /// <summary>How many rows show a CPU number, to check the stats reached the page during the window.</summary>
    public async Task<int> RowsWithCpuAsync() =>
        (await page.EvaluateAsync("() => [...document.querySelectorAll('[data-testid=cpu]')].filter(c => c.textContent.includes('%')).length")).GetInt32();

    internal readonly record struct Counts(long GridFrames, long PageFrames, long GridCallbacks, long PageCallbacks, double PageMs);
}
