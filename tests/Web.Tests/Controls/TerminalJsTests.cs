using Microsoft.Playwright;

namespace RemoltBlazor.Web.Tests.Controls;

/// <summary>wwwroot/js/terminal.js in real Chromium against real xterm.js 6, with a fake Blazor dotnetRef.</summary>
public sealed class TerminalJsTests(TerminalJsFixture fixture) : IClassFixture<TerminalJsFixture>
{
    [ChromiumFact]
    public async Task Write_Bytes_ResolvesAfterXtermParsedThemAndTheyRender()
    {
        var page = await fixture.OpenPageAsync();

        // Resolution must mean "parsed": the buffer is checked synchronously right after the promise.
        var lineAfterWrite = await page.EvaluateAsync<string>("""
            async () => {
                await window.handle.write(new TextEncoder().encode('hello \u001b[32mfrom\u001b[0m write'));
                return window.element.__remoltTerm.buffer.active.getLine(0).translateToString(true);
            }
            """).WaitAsync(TimeSpan.FromSeconds(10));

        lineAfterWrite.ShouldBe("hello from write");
        await page.WaitForFunctionAsync("() => document.querySelector('.xterm-rows').textContent.includes('hello from write')",
            null, new() { Timeout = 10_000 });
    }

    [ChromiumFact]
    public async Task Write_ManyLargeChunks_EachResolvesAndAllAreParsed()
    {
        var page = await fixture.OpenPageAsync();

        var lastLine = await page.EvaluateAsync<string>("""
            async () => {
                const line = 'x'.repeat(79) + '\r\n';
                const chunk = new TextEncoder().encode(line.repeat(800)); // 64,000 bytes
                for (let i = 0; i < 32; i++) await window.handle.write(chunk);
                await window.handle.write(new TextEncoder().encode('END'));
                const buffer = window.element.__remoltTerm.buffer.active;
                return buffer.getLine(buffer.baseY + buffer.cursorY).translateToString(true);
            }
            """).WaitAsync(TimeSpan.FromSeconds(30));

        lastLine.ShouldBe("END");
    }

    [ChromiumFact]
    public async Task Paste_100KB_ArrivesInOrderedChunksOfAtMost8KiB()
    {
        var page = await fixture.OpenPageAsync();

        // Multi-byte characters so that chunk boundaries fall inside UTF-8 sequences too.
        var result = await page.EvaluateAsync<PasteResult>("""
            async () => {
                let text = '';
                for (let i = 0; text.length < 100000; i++) text += `line ${i} é字 `;
                window.element.__remoltTerm.paste(text);
                const expected = new TextEncoder().encode(text);
                const deadline = Date.now() + 8000;
                const received = () => window.log.input.reduce((n, c) => n + c.length, 0);
                while (received() < expected.length && Date.now() < deadline) await new Promise(r => setTimeout(r, 20));
                const all = new Uint8Array(received());
                let offset = 0;
                for (const c of window.log.input) { all.set(c, offset); offset += c.length; }
                const same = all.length === expected.length && all.every((b, i) => b === expected[i]);
                return { expectedBytes: expected.length, receivedBytes: all.length, same,
                         maxChunk: Math.max(...window.log.input.map(c => c.length)), chunks: window.log.input.length,
                         maxInFlight: window.log.maxInFlight, limit: window.chunkLimit };
            }
            """).WaitAsync(TimeSpan.FromSeconds(20));

        result.Limit.ShouldBe(8192);
        result.ReceivedBytes.ShouldBe(result.ExpectedBytes);
        result.ExpectedBytes.ShouldBeGreaterThan(100_000);
        result.Same.ShouldBeTrue();
        result.MaxChunk.ShouldBeLessThanOrEqualTo(8192);
        result.Chunks.ShouldBeGreaterThanOrEqualTo((result.ExpectedBytes + 8191) / 8192);
        result.MaxInFlight.ShouldBe(1);
    }

    [ChromiumFact]
    public async Task Resize_ElementGrowsThenHides_ReportsNewSizeButNeverZero()
    {
        var page = await fixture.OpenPageAsync();
        var initial = await page.EvaluateAsync<int[]>("() => { const s = window.handle.fit(); return [s.cols, s.rows]; }");

        await page.EvaluateAsync("() => { window.element.style.width = '1000px'; window.element.style.height = '600px'; }");
        await page.WaitForFunctionAsync("() => window.log.resizes.length > 0", null, new() { Timeout = 10_000 });
        await page.EvaluateAsync("() => { window.element.style.display = 'none'; }");
        await Task.Delay(400); // past the 100 ms debounce
        var resizes = await page.EvaluateAsync<int[][]>("() => window.log.resizes");

        initial[0].ShouldBeGreaterThan(10);
        initial[1].ShouldBeGreaterThan(5);
        resizes.Length.ShouldBe(1);
        resizes[0][0].ShouldBeGreaterThan(initial[0]);
        resizes[0][1].ShouldBeGreaterThan(initial[1]);
    }

    [ChromiumFact]
    public async Task WriteStatus_Text_AppearsInTerminalAndDisposeRemovesIt()
    {
        var page = await fixture.OpenPageAsync();

        await page.EvaluateAsync("() => window.handle.writeStatus('● Connected', 'ok')");
        await page.WaitForFunctionAsync("() => document.querySelector('.xterm-rows').textContent.includes('● Connected')", null, new() { Timeout = 10_000 });
        var gone = await page.EvaluateAsync<bool>("() => { window.handle.dispose(); window.handle.dispose(); return window.element.__remoltTerm === undefined; }");

        gone.ShouldBeTrue();
    }

    [ChromiumFact]
    public async Task Create_ThemeVariablesOnThePage_TerminalAndStatusLinesTakeTheirColours()
    {
        var page = await fixture.OpenPageAsync();

        // The variables MudThemeProvider publishes for the app's theme; the fixture's own terminal was made without them.
        var colours = await page.EvaluateAsync<ThemeResult>("""
            async () => {
                const root = document.documentElement.style;
                root.setProperty('--mud-palette-background', '#102030');
                root.setProperty('--mud-palette-text-primary', '#f0e0d0');
                root.setProperty('--mud-palette-primary', '#abcdef');
                root.setProperty('--mud-palette-primary-rgb', '171,205,239');
                root.setProperty('--mud-palette-success-rgb', '1,2,3');
                const element = document.createElement('div');
                element.style.cssText = 'width:400px;height:200px';
                document.body.append(element);
                const handle = window.terminalModule.create(element, { invokeMethodAsync: () => Promise.resolve() }, null);
                const theme = element.__remoltTerm.options.theme;
                handle.writeStatus('● Connected', 'ok');
                await handle.write(new Uint8Array(0)); // resolves once what was written before is parsed
                const buffer = element.__remoltTerm.buffer.active;
                let statusFg = -1;
                for (let y = 0; y < buffer.length; y++) {
                    if (buffer.getLine(y).translateToString(true).startsWith('● Connected')) statusFg = buffer.getLine(y).getCell(2).getFgColor();
                }
                handle.dispose();
                return { background: theme.background, foreground: theme.foreground, cursor: theme.cursor, cursorAccent: theme.cursorAccent,
                         selection: theme.selectionBackground, statusFg };
            }
            """).WaitAsync(TimeSpan.FromSeconds(10));

        colours.Background.ShouldBe("#102030");
        colours.Foreground.ShouldBe("#f0e0d0");
        colours.Cursor.ShouldBe("#abcdef");
        colours.CursorAccent.ShouldBe("#102030");
        colours.Selection.ShouldBe("rgba(171,205,239, 0.3)");
        colours.StatusFg.ShouldBe((1 << 16) | (2 << 8) | 3);
    }

    public sealed class ThemeResult
    {
        public string Background { get; set; } = "";

        public string Foreground { get; set; } = "";

        public string Cursor { get; set; } = "";

        public string CursorAccent { get; set; } = "";

        public string Selection { get; set; } = "";

        public int StatusFg { get; set; }
    }

    public sealed class PasteResult
    {
        public int ExpectedBytes { get; set; }

        public int ReceivedBytes { get; set; }

        public bool Same { get; set; }

        public int MaxChunk { get; set; }

        public int Chunks { get; set; }

        public int MaxInFlight { get; set; }

        public int Limit { get; set; }
    }

    [ChromiumFact]
    public async Task KeyBarCtrlTap_KeyTypedBeforeTheViewAnswers_GoesToTheViewAsArmed()
    {
        var page = await fixture.OpenPageAsync();

        // A view with a key bar whose setArmed never comes (a slow circuit): only the tap itself arms.
        var routed = await page.EvaluateAsync<string[]>("""
            async () => {
                const view = document.createElement('div');
                view.className = 'terminal-view';
                const host = document.createElement('div');
                host.style.width = '400px';
                host.style.height = '200px';
                const ctrl = document.createElement('button');
                ctrl.dataset.key = 'ctrl';
                view.append(host, ctrl);
                document.body.append(view);
                const seen = [];
                const connection = { invokeMethodAsync: (name, bytes) => { if (name === 'OnInput') seen.push('input:' + new TextDecoder().decode(bytes)); return Promise.resolve(); } };
                const viewRef = { invokeMethodAsync: (name, typed) => { if (name === 'OnArmedInput') seen.push('armed:' + typed); return Promise.resolve(); } };
                const handle = window.terminalModule.create(host, connection, null, viewRef);
                ctrl.click();
                host.__remoltTerm.input('c', true);
                host.__remoltTerm.input('d', true);
                await new Promise(r => setTimeout(r, 100));
                handle.dispose();
                return seen;
            }
            """);

        routed.ShouldBe(["armed:c", "input:d"]);
    }
}
