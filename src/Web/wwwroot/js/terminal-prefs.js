// The terminals' preferences (font size, copy on select, renderer), per browser in localStorage. The same JSON is
// Components/Controls/TerminalViewPreferences.cs, which names the limits too. save() tells every open terminal of this
// page (the 'remolt:terminal-prefs' event) and of the browser's other tabs (the storage event).
export const STORAGE_KEY = 'remolt:terminal';
export const EVENT = 'remolt:terminal-prefs';
export const DEFAULTS = Object.freeze({ fontSize: 14, copyOnSelect: true, renderer: 'auto' });
const MIN_FONT = 8;
const MAX_FONT = 32;
const RENDERERS = ['auto', 'webgl', 'dom'];

export function normalise(prefs) {
    const p = { ...DEFAULTS, ...(prefs && typeof prefs === 'object' ? prefs : {}) };
    const size = Number.isInteger(p.fontSize) ? p.fontSize : DEFAULTS.fontSize;
    return {
        fontSize: Math.min(MAX_FONT, Math.max(MIN_FONT, size)),
        copyOnSelect: p.copyOnSelect !== false,
        renderer: RENDERERS.includes(p.renderer) ? p.renderer : 'auto',
    };
}

export function load() {
    try {
        return normalise(JSON.parse(localStorage.getItem(STORAGE_KEY) ?? 'null'));
    } catch {
        return { ...DEFAULTS };
    }
}

export function save(prefs) {
    const next = normalise(typeof prefs === 'string' ? JSON.parse(prefs) : prefs);
    localStorage.setItem(STORAGE_KEY, JSON.stringify(next));
    window.dispatchEvent(new CustomEvent(EVENT, { detail: next }));
    return next;
}

export function zoom(delta) {
    const current = load();
    return save({ ...current, fontSize: current.fontSize + delta });
}

// Calls listener(prefs) on every change, from this page or another tab; returns the unsubscribe function.
export function subscribe(listener) {
    const onLocal = event => listener(event.detail);
    const onStorage = event => { if (event.key === STORAGE_KEY) listener(load()); };
    window.addEventListener(EVENT, onLocal);
    window.addEventListener('storage', onStorage);
    return () => {
        window.removeEventListener(EVENT, onLocal);
        window.removeEventListener('storage', onStorage);
    };
}

// The stored preferences as JSON, for .NET (Components/Controls/TerminalViewPreferences.Parse).
export function loadJson() {
    return JSON.stringify(load());
}
