// xterm.js interop for Components/Controls/TerminalView. Imported with
// IJSRuntime.InvokeAsync<IJSObjectReference>("import", "./js/terminal.js"); create() returns the handle .NET calls.
import { Terminal } from '../lib/xterm/xterm.mjs';
import { FitAddon } from '../lib/xterm/addon-fit.mjs';
import { WebLinksAddon } from '../lib/xterm/addon-web-links.mjs';
import { Unicode11Addon } from '../lib/xterm/addon-unicode11.mjs';
import { SearchAddon } from '../lib/xterm/addon-search.mjs';
import { terminalTheme, statusColours, toHex, THEME_EVENT } from './terminal-theme.js';
import * as prefs from './terminal-prefs.js';
import { copyText, readText } from './terminal-clipboard.js';
import { RendererSwitch } from './terminal-renderer.js';
import { InputQueue, INPUT_CHUNK_BYTES, MAX_PENDING_INPUT_BYTES } from './terminal-input.js';

export { INPUT_CHUNK_BYTES, MAX_PENDING_INPUT_BYTES };

const RESIZE_DEBOUNCE_MS = 100;
const COPY_DEBOUNCE_MS = 120;
// Below this a fit is a layout glitch (a collapsing pane), not a size anyone works at: tmux is never shrunk to it.
const MIN_COLS = 10;
const MIN_ROWS = 3;

// A program in the sandbox printing http://localhost:PORT/... (a dev server an agent started) means a port inside
// the sandbox, not on the user's machine: such links open through the app's port preview instead.
const LOCAL_LINK = /^http:\/\/(?:localhost|127\.0\.0\.1|0\.0\.0\.0)(?::(\d{1,5}))?([/?][^#]*)?(#.*)?$/i;

export function previewUrl(uri, sessionId) {
    if (!sessionId) return uri;
    const match = LOCAL_LINK.exec(uri);
    if (!match) return uri;
    const port = match[1] ? Number(match[1]) : 80;
    if (!(port >= 1 && port <= 65535)) return uri;
    const rest = !match[2] ? '/' : match[2].startsWith('?') ? '/' + match[2] : match[2];
    return `/proxy/${encodeURIComponent(sessionId)}/port/${port}${rest}${match[3] ?? ''}`;
}

function openLink(event, uri, element) {
    event.preventDefault();
    const sessionId = element.closest('[data-session-id]')?.dataset.sessionId;
    // noopener: the opened page gets no window.opener handle back into the terminal's tab.
    window.open(previewUrl(uri, sessionId), '_blank', 'noopener,noreferrer');
}

const encoder = new TextEncoder();

// Match highlights in the theme's colours (the search addon wants #RRGGBB).
function searchDecorations(element) {
    const read = name => toHex(getComputedStyle(element).getPropertyValue(name).trim());
    const match = read('--mud-palette-warning') ?? '#e3b341';
    const active = read('--mud-palette-primary') ?? '#6ea8fe';
    return { matchBackground: match, matchOverviewRuler: match, activeMatchBackground: active, activeMatchColorOverviewRuler: active };
}

function binaryStringToBytes(data) {
    // onBinary gives one char per byte (0-255), e.g. mouse reports in non-UTF-8 mode.
    const bytes = new Uint8Array(data.length);
    for (let i = 0; i < data.length; i++) bytes[i] = data.charCodeAt(i) & 0xff;
    return bytes;
}

// viewRef (optional) is the TerminalView: shortcuts that open its UI (search, paste dialog) and the phone key bar's
// modified input go there.
export function create(element, dotnetRef, options, viewRef) {
    let current = prefs.load();
    const term = new Terminal({
        fontSize: current.fontSize,
        fontFamily: "'JetBrains Mono', 'Fira Code', monospace",
        scrollback: 10000,
        cursorBlink: false, // a blinking cursor repaints the page every frame while focused (about 4% of a core, idle)
        allowProposedApi: true, // the Unicode11 addon sets term.unicode.activeVersion, a proposed API
        theme: terminalTheme(element),
        ...(options ?? {}),
    });
    const fitAddon = new FitAddon();
    term.loadAddon(fitAddon);
    term.loadAddon(new WebLinksAddon((event, uri) => openLink(event, uri, element)));
    term.loadAddon(new Unicode11Addon());
    term.unicode.activeVersion = '11';
    const search = new SearchAddon();
    term.loadAddon(search);
    const colours = statusColours(element);
    term.open(element);
    element.__remoltTerm = term;
    const renderer = new RendererSwitch(term, element);
    renderer.apply(current.renderer);

    let target = dotnetRef;
    // While the key bar's Ctrl or Alt is armed, the next input goes to the view, which applies the modifier.
    let armed = false;
    // A tap on the bar's Ctrl or Alt arms at once: the next key may come before the view's setArmed round trip. The
    // view still decides (the circuit delivers the tap before that key, and it ends every armed input with setArmed).
    const view = element.closest('.terminal-view');
    const armOnTap = event => {
        if (event.target instanceof Element && event.target.closest('[data-key=ctrl], [data-key=alt]')) armed = true;
    };
    view?.addEventListener('click', armOnTap, true);
    const input = new InputQueue(dotnetRef);
    const subscriptions = [
        term.onData(data => {
            if (armed && viewRef) {
                armed = false;
                viewRef.invokeMethodAsync('OnArmedInput', data).catch(err => console.warn('key bar input not delivered', err));
                return;
            }
            input.push(encoder.encode(data));
        }),
        term.onBinary(data => input.push(binaryStringToBytes(data))),
    ];

    async function copy(text) {
        if (!text) return 'empty';
        const method = await copyText(text);
        element.dataset.lastCopy = method;
        return method;
    }

    let copyTimer = 0;
    subscriptions.push(term.onSelectionChange(() => {
        clearTimeout(copyTimer);
        if (!current.copyOnSelect || !term.hasSelection()) return;
        // After the drag settles, still inside the gesture's activation window that execCommand('copy') needs.
        copyTimer = setTimeout(() => { if (!disposed && term.hasSelection()) copy(term.getSelection()); }, COPY_DEBOUNCE_MS);
    }));

    // tmux has the mouse (mouse on): a plain drag selects in tmux, which hands the copy to its outer terminal as
    // OSC 52 ("c;<base64>"). Taken as a copy on select; a query ("?") would read the clipboard and is ignored.
    subscriptions.push(term.parser.registerOscHandler(52, data => {
        const [, payload] = data.split(';', 2);
        if (!current.copyOnSelect || !payload || payload === '?') return true;
        try {
            const bytes = Uint8Array.from(atob(payload), c => c.charCodeAt(0));
            copy(new TextDecoder().decode(bytes));
        } catch (err) {
            console.warn('terminal: unreadable OSC 52 copy', err);
        }
        return true;
    }));

    term.attachCustomKeyEventHandler(event => {
        if (event.type !== 'keydown' || !event.ctrlKey || event.altKey || event.metaKey) return true;
        const key = event.key.toLowerCase();
        if (event.shiftKey && key === 'c') {
            event.preventDefault();
            copy(term.getSelection());
            return false;
        }
        if (event.shiftKey && key === 'v') {
            return false; // the browser's own paste event follows, which xterm.js handles (on any origin)
        }
        if (event.shiftKey && key === 'f') {
            event.preventDefault();
            viewRef?.invokeMethodAsync('OnShortcut', 'search').catch(err => console.warn('shortcut not delivered', err));
            return false;
        }
        if (!event.shiftKey && (key === '=' || key === '+' || key === '-' || key === '0')) {
            event.preventDefault();
            if (key === '0') prefs.save({ ...current, fontSize: prefs.DEFAULTS.fontSize });
            else prefs.zoom(key === '-' ? -1 : 1);
            return false;
        }
        return true;
    });

    const unsubscribePrefs = prefs.subscribe(next => {
        if (disposed) return;
        const sizeChanged = next.fontSize !== current.fontSize;
        current = next;
        renderer.apply(next.renderer);
        if (sizeChanged) {
            term.options.fontSize = next.fontSize;
            reportSize();
        }
    });
    const onTheme = () => { if (!disposed) term.options.theme = terminalTheme(element); };
    window.addEventListener(THEME_EVENT, onTheme);

    let lastCols = 0;
    let lastRows = 0;
    let disposed = false;

    // Fits to the element; false when it has no size (hidden tab): fitting then would shrink the TTY to nothing.
    function fitNow() {
        if (disposed || element.clientWidth === 0 || element.clientHeight === 0) return false;
        const dims = fitAddon.proposeDimensions();
        if (!dims || !(dims.cols >= MIN_COLS) || !(dims.rows >= MIN_ROWS) || !Number.isFinite(dims.cols) || !Number.isFinite(dims.rows)) return false;
        fitAddon.fit();
        return true;
    }

    function reportSize() {
        if (!fitNow()) return;
        if (term.cols === lastCols && term.rows === lastRows) return;
        lastCols = term.cols;
        lastRows = term.rows;
        target.invokeMethodAsync('OnResize', term.cols, term.rows)
            .catch(err => console.warn('terminal resize not delivered', err));
    }

    let resizeTimer = 0;
    const observer = new ResizeObserver(() => {
        clearTimeout(resizeTimer);
        resizeTimer = setTimeout(reportSize, RESIZE_DEBOUNCE_MS);
    });
    observer.observe(element);

    // The size at creation is the one .NET attaches with (it calls fit()), so the observer's first callback, which
    // fires on observe(), reports nothing unless the size really changed since.
    if (fitNow()) {
        lastCols = term.cols;
        lastRows = term.rows;
    }

    return {
        // Resolves once xterm.js has parsed the bytes: the server waits for this before sending more (flow control).
        write(bytes) {
            if (disposed) return Promise.resolve();
            return new Promise(resolve => term.write(bytes, resolve));
        },
        writeStatus(text, kind) {
            if (disposed) return;
            const colour = colours[kind] ?? colours.info;
            term.write(`\r\n\x1b[${colour}m${text}\x1b[0m\r\n`);
        },
        // Fits now and returns the size, so .NET can attach with the right size from the start; the size is then
        // known, so the observer reports only later changes.
        fit() {
            if (fitNow()) {
                lastCols = term.cols;
                lastRows = term.rows;
            }
            return { cols: term.cols, rows: term.rows };
        },
        // Attached: take the keyboard, but never from where the user is: a hidden tab's terminal (attaching late, in
        // the background) stays out of it, and so does every terminal while the keyboard moves through the tabs or
        // types into a field elsewhere (the rename box, the Files tab's editor).
        focus() {
            if (disposed || element.offsetParent === null) return;
            const active = document.activeElement;
            const elsewhere = active && !element.contains(active)
                && (active.getAttribute('role') === 'tab' || active.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(active.tagName));
            if (!elsewhere) term.focus();
        },
        // The tab became visible: take any size change it missed, and the keyboard, unless the keyboard is moving
        // through the tabs themselves (a focused [role=tab]: the tabs pattern keeps focus there).
        shown() {
            if (disposed) return;
            reportSize();
            if (document.activeElement?.getAttribute('role') !== 'tab') term.focus();
        },
        // Scrollback search: true when a match was found (and selected).
        find(text, caseSensitive, backwards) {
            if (disposed || !text) return false;
            const options = { caseSensitive: !!caseSensitive, decorations: searchDecorations(element) };
            return backwards ? search.findPrevious(text, options) : search.findNext(text, options);
        },
        clearSearch() {
            if (disposed) return;
            search.clearDecorations();
            term.clearSelection();
            term.focus();
        },
        // Text the user gave (the paste dialog): as a paste, so bracketed paste mode applies.
        paste(text) {
            if (disposed) return;
            if (text) term.paste(text);
            term.focus();
            // The dialog this came from gives the focus back to the button that opened it as it closes, which may
            // come after this call: follow that once (within a moment), so the user can press Enter in the terminal.
            const takeBack = event => {
                window.removeEventListener('focusin', takeBack, true);
                if (!disposed && !element.contains(event.target)) setTimeout(() => term.focus(), 0);
            };
            window.addEventListener('focusin', takeBack, true);
            setTimeout(() => window.removeEventListener('focusin', takeBack, true), 2000);
        },
        // The paste button: 'api' when the clipboard was read and pasted, 'dialog' when the page must ask for the text.
        async pasteFromClipboard() {
            const text = await readText();
            if (text === null) return 'dialog';
            if (!disposed && text) term.paste(text);
            term.focus();
            return 'api';
        },
        copySelection() {
            return copy(term.getSelection());
        },
        zoom(delta) {
            return prefs.zoom(delta).fontSize;
        },
        setArmed(on) {
            armed = !!on;
            if (!disposed) term.focus();
        },
        // Before a re-attach: a new .NET target for input and resizes.
        reattach(dotnetRef) {
            if (disposed) return;
            target = dotnetRef;
            input.retarget(dotnetRef);
        },
        // Once a re-attach succeeded, before its first output: a clean screen and scrollback, which the seeded
        // history then refills (so nothing is shown twice, and a failed attempt leaves the old output readable).
        reset() {
            if (!disposed) term.reset();
        },
        dispose() {
            if (disposed) return;
            disposed = true;
            clearTimeout(resizeTimer);
            clearTimeout(copyTimer);
            observer.disconnect();
            unsubscribePrefs();
            window.removeEventListener(THEME_EVENT, onTheme);
            view?.removeEventListener('click', armOnTap, true);
            renderer.dispose();
            input.close();
            for (const s of subscriptions) s.dispose();
            delete element.__remoltTerm;
            term.dispose();
        },
    };
}
