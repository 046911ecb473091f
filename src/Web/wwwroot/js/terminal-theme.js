// The terminals' colours (terminal.js, logs.js). Background, foreground, cursor, selection and the status lines
// follow the page's one theme: MudThemeProvider publishes Components/Layout/RemoltTheme.cs as --mud-palette-*
// variables, read here when a terminal is created. The 16 ANSI colours are the terminal's own, chosen to sit on that
// background. The fallbacks (the same theme's values) apply on a page without the theme, such as the JS test page.
// Sent on window by the layout once a theme change is on the page (wwwroot/js/theme.js): terminals read their colours again.
export const THEME_EVENT = 'remolt:theme';

const ANSI = {
    black: '#484f58', red: '#ff7b72', green: '#3fb950', yellow: '#d29922',
    blue: '#58a6ff', magenta: '#bc8cff', cyan: '#39c5cf', white: '#b1bac4',
    brightBlack: '#6e7681', brightRed: '#ffa198', brightGreen: '#56d364', brightYellow: '#e3b341',
    brightBlue: '#79c0ff', brightMagenta: '#d2a8ff', brightCyan: '#56d4dd', brightWhite: '#f0f6fc',
};

// The same sixteen for a light background: darker, so yellow and white text stay readable on it.
const ANSI_LIGHT = {
    black: '#24292f', red: '#cf222e', green: '#116329', yellow: '#7d4e00',
    blue: '#0969da', magenta: '#8250df', cyan: '#1b7c83', white: '#6e7781',
    brightBlack: '#57606a', brightRed: '#a40e26', brightGreen: '#1a7f37', brightYellow: '#633c01',
    brightBlue: '#218bff', brightMagenta: '#a475f9', brightCyan: '#3192aa', brightWhite: '#8c959f',
};

// The theme's colours come as MudBlazor writes them: "#rrggbb" or "rgba(r,g,b,a)". To "#rrggbb" (null if neither).
export function toHex(colour) {
    const hex = /^#([0-9a-f]{6})$/i.exec(colour);
    if (hex) return '#' + hex[1].toLowerCase();
    const rgb = /^rgba?\(\s*(\d+)\s*,\s*(\d+)\s*,\s*(\d+)/i.exec(colour);
    if (!rgb) return null;
    return '#' + rgb.slice(1, 4).map(c => Math.min(255, Number(c)).toString(16).padStart(2, '0')).join('');
}

// Whether a colour is light (relative luminance above the middle), i.e. the light theme is on.
function isLight(colour) {
    const hex = toHex(colour);
    if (!hex) return false;
    const [r, g, b] = [1, 3, 5].map(i => parseInt(hex.slice(i, i + 2), 16) / 255);
    return 0.2126 * r + 0.7152 * g + 0.0722 * b > 0.5;
}

function reader(element) {
    const style = getComputedStyle(element);
    return (name, fallback) => style.getPropertyValue(name).trim() || fallback;
}

// "r,g,b" as the theme gives it (--mud-palette-X-rgb) to the "r;g;b" of an SGR 38;2 sequence.
const sgr = rgb => '38;2;' + rgb.split(',').map(c => c.trim()).join(';');

export function terminalTheme(element) {
    const read = reader(element);
    const background = toHex(read('--mud-palette-background', '#0f1218')) ?? '#0f1218';
    return {
        ...(isLight(background) ? ANSI_LIGHT : ANSI),
        background,
        foreground: toHex(read('--mud-palette-text-primary', '#e6edf3')) ?? '#e6edf3',
        cursor: toHex(read('--mud-palette-primary', '#6ea8fe')) ?? '#6ea8fe',
        cursorAccent: background,
        selectionBackground: `rgba(${read('--mud-palette-primary-rgb', '110,168,254')}, 0.3)`,
    };
}

// SGR colours for the status lines a terminal writes into itself ("● Connected"), keyed by TerminalStatusKind.
export function statusColours(element) {
    const read = reader(element);
    return {
        info: sgr(read('--mud-palette-info-rgb', '110,168,254')),
        ok: sgr(read('--mud-palette-success-rgb', '86,211,100')),
        warn: sgr(read('--mud-palette-warning-rgb', '227,179,65')),
        error: sgr(read('--mud-palette-error-rgb', '244,112,103')),
    };
}
