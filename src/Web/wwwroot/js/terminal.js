// xterm.js interop for Components/Controls/TerminalView. Imported with
// IJSRuntime.InvokeAsync<IJSObjectReference>("import", "./js/terminal.js"); create() returns the handle .NET calls.
import { Terminal } from '../lib/xterm/xterm.mjs';
import { FitAddon } from '../lib/xterm/addon-fit.mjs';
import { WebLinksAddon } from '../lib/xterm/addon-web-links.mjs';
import { Unicode11Addon } from '../lib/xterm/addon-unicode11.mjs';
import { terminalTheme, statusColours } from './terminal-theme.js';

// Blazor caps browser-to-server messages at 32 KiB and one oversized interop call drops the circuit: keep input
// calls well under it.
export const INPUT_CHUNK_BYTES = 8 * 1024;
// Input waiting for the server is capped too: beyond it (a wedged circuit, a multi-megabyte paste) input is dropped
// with a warning rather than held without bound.
export const MAX_PENDING_INPUT_BYTES = 4 * 1024 * 1024;
const RESIZE_DEBOUNCE_MS = 100;

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

// Copies (slice, not a view) so the interop serializer sees exactly the chunk.
// Sends byte chunks to .NET one at a time, awaiting each call, so pastes arrive whole and in order however large.
class InputQueue {
    constructor(dotnetRef) {
        this._dotnetRef = dotnetRef;
        this._pending = [];
        this._pendingBytes = 0;
        this._draining = false;
        this._closed = false;
    }

    push(bytes) {
        if (this._closed) return;
        if (this._pendingBytes + bytes.length > MAX_PENDING_INPUT_BYTES) {
            console.warn(`terminal input dropped: more than ${MAX_PENDING_INPUT_BYTES} bytes waiting for the server`);
            return;
        }
        this._pendingBytes += bytes.length;
        for (let offset = 0; offset < bytes.length; offset += INPUT_CHUNK_BYTES) {
            this._pending.push(bytes.slice(offset, Math.min(offset + INPUT_CHUNK_BYTES, bytes.length)));
        }
        if (!this._draining) this._drain();
    }

    async _drain() {
        this._draining = true;
        try {
            while (this._pending.length > 0 && !this._closed) {
                const chunk = this._pending.shift();
                this._pendingBytes -= chunk.length;
                try {
                    await this._dotnetRef.invokeMethodAsync('OnInput', chunk);
                } catch (err) {
                    // The circuit is gone or the terminal closed: what is queued can never be delivered.
                    console.warn('terminal input not delivered', err);
                    this._pending.length = 0;
                    this._pendingBytes = 0;
                }
            }
        } finally {
            this._draining = false;
        }
    }

    // A reconnect gives the terminal a new .NET target; what was queued for the old one is dropped with it.
    retarget(dotnetRef) {
        this._pending.length = 0;
        this._pendingBytes = 0;
        this._dotnetRef = dotnetRef;
    }

    close() {
        this._closed = true;
        this._pending.length = 0;
        this._pendingBytes = 0;
    }
}

const encoder = new TextEncoder();

function binaryStringToBytes(data) {
    // onBinary gives one char per byte (0-255), e.g. mouse reports in non-UTF-8 mode.
    const bytes = new Uint8Array(data.length);
    for (let i = 0; i < data.length; i++) bytes[i] = data.charCodeAt(i) & 0xff;
    return bytes;
}

export function create(element, dotnetRef, options) {
    const term = new Terminal({
        fontSize: 14,
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
    const colours = statusColours(element);
    term.open(element);
    element.__remoltTerm = term;

    let target = dotnetRef;
    const input = new InputQueue(dotnetRef);
    const subscriptions = [
        term.onData(data => input.push(encoder.encode(data))),
        term.onBinary(data => input.push(binaryStringToBytes(data))),
    ];

    let lastCols = 0;
    let lastRows = 0;
    let disposed = false;

    // Fits to the element; false when it has no size (hidden tab): fitting then would shrink the TTY to nothing.
    function fitNow() {
        if (disposed || element.clientWidth === 0 || element.clientHeight === 0) return false;
        const dims = fitAddon.proposeDimensions();
        if (!dims || !(dims.cols > 0) || !(dims.rows > 0) || !Number.isFinite(dims.cols) || !Number.isFinite(dims.rows)) return false;
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
        focus() {
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
            observer.disconnect();
            input.close();
            for (const s of subscriptions) s.dispose();
            delete element.__remoltTerm;
            term.dispose();
        },
    };
}
