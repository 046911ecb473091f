using Microsoft.Playwright;

namespace RemoltBlazor.Web.Tests.Browser;

/// <summary>Selecting terminal text the way a user does, with the mouse.</summary>
internal static class TerminalClipboard
{
    /// <summary>
    /// Double-clicks the first word of the rendered row that starts with <paramref name="rowStart"/>, with Shift held:
    /// tmux has the mouse (mouse on), and Shift is how xterm.js is told that the selection is the browser's.
    /// </summary>
    public static async Task ShiftDoubleClickRowAsync(IPage page, string rowStart)
    {
        var box = await page.EvaluateAsync<double[]>("""
            start => {
                const rows = Array.from(document.querySelectorAll('.terminal-pane.active .xterm-rows > div'));
                const row = rows.find(r => r.textContent.startsWith(start));
                const rect = row.getBoundingClientRect();
                return [rect.left, rect.top, rect.height];
            }
            """, rowStart);
        await page.Keyboard.DownAsync("Shift");
        await page.Mouse.DblClickAsync((float)(box[0] + 12), (float)(box[1] + (box[2] / 2)));
        await page.Keyboard.UpAsync("Shift");
    }
}
