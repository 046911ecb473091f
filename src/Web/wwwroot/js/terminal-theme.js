// The terminals' colours (terminal.js, logs.js). Background, foreground, cursor, selection and the status lines
// follow the page's one theme: MudThemeProvider publishes Components/Layout/RemoltTheme.cs as --mud-palette-*
// variables, read here when a terminal is created. The 16 ANSI colours are the terminal's own, chosen to sit on that
// background. The fallbacks (the same theme's values) apply on a page without the theme, such as the JS test page.
const ANSI = {
    black: '#484f58', red: '#ff7b72', green: '#3fb950', yellow: '#d29922',
    blue: '#58a6ff', magenta: '#bc8cff', cyan: '#39c5cf', white: '#b1bac4',
    brightBlack: '#6e7681', brightRed: '#ffa198', brightGreen: '#56d364', brightYellow: '#e3b341',
    brightBlue: '#79c0ff', brightMagenta: '#d2a8ff', brightCyan: '#56d4dd', brightWhite: '#f0f6fc',
};

function reader(element) {
    const style = getComputedStyle(element);
    return (name, fallback) => style.getPropertyValue(name).trim() || fallback;
}

// "r,g,b" as the theme gives it (--mud-palette-X-rgb) to the "r;g;b" of an SGR 38;2 sequence.
const sgr = rgb => '38;2;' + rgb.split(',').map(c => c.trim()).join(';');

export function terminalTheme(element) {
    const read = reader(element);
    const background = read('--mud-palette-background', '#0f1218');
    return {
        ...ANSI,
        background,
        foreground: read('--mud-palette-text-primary', '#e6edf3'),
        cursor: read('--mud-palette-primary', '#6ea8fe'),
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
