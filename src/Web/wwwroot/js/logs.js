// Read-only xterm fed by /ws/logs/{id}, for Components/Pages/Workspace/LogsPane. The server sends raw bytes with CRLF
// line ends; nothing is sent back (a log has no TTY to resize). Reconnects like the original frontend's terminal:
// 15 attempts, 1 s doubling to 5 s; refusals (4003/4004) and a normal end are shown and not retried.
import { Terminal } from '../lib/xterm/xterm.mjs';
import { FitAddon } from '../lib/xterm/addon-fit.mjs';
import { terminalTheme, statusColours, THEME_EVENT } from './terminal-theme.js';

const MAX_ATTEMPTS = 15;

export function create(element, path) {
    // Read-only: the cursor takes the background's colour, so none shows.
    const readOnlyTheme = () => { const theme = terminalTheme(element); return { ...theme, cursor: theme.background }; };
    const term = new Terminal({
        fontSize: 14,
        fontFamily: "'JetBrains Mono', 'Fira Code', monospace",
        scrollback: 10000,
        cursorBlink: false,
        disableStdin: true,
        theme: readOnlyTheme(),
    });
    const fitAddon = new FitAddon();
    term.loadAddon(fitAddon);
    term.open(element);
    element.__remoltTerm = term;
    const colours = statusColours(element);

    let socket = null;
    let attempts = 0;
    let timer = 0;
    let disposed = false;

    const fit = () => {
        if (!disposed && element.clientWidth > 0 && element.clientHeight > 0) fitAddon.fit();
    };
    const observer = new ResizeObserver(fit);
    observer.observe(element);
    fit();
    const onTheme = () => { if (!disposed) term.options.theme = readOnlyTheme(); };
    window.addEventListener(THEME_EVENT, onTheme);

    function status(text, kind) {
        term.write(`\r\n\x1b[${colours[kind] ?? colours.info}m● ${text}\x1b[0m\r\n`);
    }

    function connect() {
        const url = `${location.protocol === 'https:' ? 'wss:' : 'ws:'}//${location.host}${path}`;
        socket = new WebSocket(url);
        socket.binaryType = 'arraybuffer';
        socket.onopen = () => {
            attempts = 0;
            term.reset(); // the server starts again from the last 200 lines
        };
        socket.onmessage = e => {
            if (e.data instanceof ArrayBuffer) term.write(new Uint8Array(e.data));
        };
        socket.onclose = e => {
            socket = null;
            if (disposed) return;
            if (e.code === 4003 || e.code === 4004) {
                status(e.reason || 'Logs are not available', 'error');
            } else if (e.code === 1000) {
                status('Logs ended', 'info');
            } else if (attempts >= MAX_ATTEMPTS) {
                status('Disconnected. Reopen the page to retry.', 'error');
            } else {
                const delay = Math.min(1000 * 2 ** attempts, 5000);
                attempts++;
                status(`Connection lost. Reconnecting in ${delay / 1000}s...`, 'warn');
                timer = setTimeout(connect, delay);
            }
        };
    }

    connect();

    return {
        dispose() {
            if (disposed) return;
            disposed = true;
            clearTimeout(timer);
            observer.disconnect();
            window.removeEventListener(THEME_EVENT, onTheme);
            if (socket) socket.close(1000, 'tab closed');
            delete element.__remoltTerm;
            term.dispose();
        },
    };
}
