// The Files tab's code editor (Components/Pages/Workspace/Files/FilesPane): CodeMirror 6 from the bundle that
// build/CodeMirror.targets makes. .NET sends the text in (server to browser has no message cap worth minding); the
// text never goes back through the circuit: a save is a fetch PUT to the file API from here, because browser-to-server
// circuit messages are capped at 32 KiB and one oversized interop call drops the circuit. Only small results go back
// (status, new version, detail), and a dirty flag when it flips.
import {
    basicSetup, EditorView, EditorState, Compartment, keymap, indentWithTab,
    LanguageDescription, syntaxHighlighting, defaultHighlightStyle, languages, oneDarkHighlightStyle,
} from '../lib/codemirror/codemirror.js';

// Colours come from MudBlazor's palette variables, so the editor follows the page's theme without being rebuilt.
const paletteTheme = EditorView.theme({
    '&': { height: '100%', backgroundColor: 'var(--mud-palette-surface)', color: 'var(--mud-palette-text-primary)' },
    '.cm-scroller': { fontFamily: 'ui-monospace, "JetBrains Mono", "Cascadia Code", Menlo, monospace', fontSize: '13px', lineHeight: '1.5' },
    '.cm-gutters': { backgroundColor: 'var(--mud-palette-background)', color: 'var(--mud-palette-text-disabled)', borderRight: '1px solid var(--mud-palette-lines-default)' },
    '.cm-activeLine': { backgroundColor: 'var(--mud-palette-action-default-hover)' },
    '.cm-activeLineGutter': { backgroundColor: 'var(--mud-palette-action-default-hover)', color: 'var(--mud-palette-text-primary)' },
    '.cm-cursor, .cm-dropCursor': { borderLeftColor: 'var(--mud-palette-primary)' },
    '&.cm-focused .cm-selectionBackground, .cm-selectionBackground, ::selection': { backgroundColor: 'var(--mud-palette-primary-hover)' },
    '.cm-panels': { backgroundColor: 'var(--mud-palette-surface)', color: 'var(--mud-palette-text-primary)' },
    '.cm-tooltip': { backgroundColor: 'var(--mud-palette-surface)', border: '1px solid var(--mud-palette-lines-default)' },
});

// Light or dark: judged from the palette's background, which the theme provider rewrites when the theme changes.
function isDark() {
    const value = getComputedStyle(document.documentElement).getPropertyValue('--mud-palette-background').trim();
    const rgb = value.match(/[\d.]+/g);
    if (value.startsWith('#') && (value.length === 7 || value.length === 9)) {
        const n = parseInt(value.slice(1, 7), 16);
        return ((n >> 16) & 255) * 0.299 + ((n >> 8) & 255) * 0.587 + (n & 255) * 0.114 < 128;
    }
    if (rgb && rgb.length >= 3) return rgb[0] * 0.299 + rgb[1] * 0.587 + rgb[2] * 0.114 < 128;
    return true;
}

// Not a fallback: basicSetup already registers defaultHighlightStyle as one, and of two fallbacks the first wins.
const highlight = dark => syntaxHighlighting(dark ? oneDarkHighlightStyle : defaultHighlightStyle);

async function detailOf(response) {
    try {
        const body = await response.json();
        if (typeof body.detail === 'string') return body.detail;
    } catch {
        // Not the API's JSON (a proxy's page): the status text says enough.
    }
    return response.statusText || `HTTP ${response.status}`;
}

export function create(host, dotnetRef) {
    const language = new Compartment();
    const colours = new Compartment();
    let dark = isDark();
    // One entry per open file (a tab): its CodeMirror state while not shown, the text as read or last saved
    // (dirty means "differs from it"), and the dirty flag .NET was last told.
    const docs = new Map();
    let current = null; // the entry the view shows

    function report(method, ...args) {
        dotnetRef.invokeMethodAsync(method, ...args).catch(err => console.warn('editor event not delivered', err));
    }

    function checkDirty(entry, doc) {
        // Comparing is linear, so only when the lengths agree (an undo back to the saved text).
        const now = doc.length !== entry.baseline.length || !doc.eq(entry.baseline);
        if (now !== entry.dirty) {
            entry.dirty = now;
            report('OnDirtyChanged', entry.path, now);
        }
    }

    const saveKey = keymap.of([{ key: 'Mod-s', preventDefault: true, run: () => { report('OnSaveRequested'); return true; } }]);

    function extensions(entry) {
        return [
            saveKey, basicSetup, keymap.of([indentWithTab]), paletteTheme, colours.of(highlight(dark)), language.of([]),
            EditorView.updateListener.of(update => { if (update.docChanged) checkDirty(entry, update.state.doc); }),
        ];
    }

    const view = new EditorView({ parent: host, state: EditorState.create({ doc: '' }) });
    const stateOf = entry => (entry === current ? view.state : entry.state);

    function show(entry) {
        if (current && current !== entry) current.state = view.state;
        current = entry;
        view.setState(entry.state);
        view.dispatch({ effects: colours.reconfigure(highlight(dark)) }); // the theme may have changed meanwhile
        view.dom.dataset.file = entry.path;
    }

    // Applies effects or changes to an entry, shown or not.
    function update(entry, spec) {
        if (entry === current) view.dispatch(spec);
        else entry.state = entry.state.update(spec).state;
    }

    // The theme toggle rewrites the palette's <style>: follow it.
    const observer = new MutationObserver(() => {
        const now = isDark();
        if (now !== dark) {
            dark = now;
            if (current) view.dispatch({ effects: colours.reconfigure(highlight(dark)) });
        }
    });
    observer.observe(document.head, { childList: true, subtree: true, characterData: true });
    observer.observe(document.documentElement, { attributes: true, attributeFilter: ['class', 'style', 'data-theme'] });

    async function setLanguage(entry, name) {
        const description = LanguageDescription.matchFilename(languages, name);
        if (!description) return;
        try {
            const support = await description.load();
            if (docs.get(entry.path) === entry) update(entry, { effects: language.reconfigure(support) });
        } catch (err) {
            console.warn('no syntax highlighting for', name, err);
        }
    }

    return {
        // A newly opened file (its own state and undo history), shown at once; its language loads lazily.
        load(path, text, name) {
            const entry = { path, dirty: false, state: null, baseline: null };
            entry.state = EditorState.create({ doc: text, extensions: extensions(entry) });
            entry.baseline = entry.state.doc;
            docs.set(path, entry);
            show(entry);
            setLanguage(entry, name);
        },
        activate(path) {
            const entry = docs.get(path);
            if (entry && entry !== current) show(entry);
        },
        // The file changed on disk: its text replaced in place, the cursor kept where it can stay.
        replace(path, text) {
            const entry = docs.get(path);
            if (!entry) return;
            const head = Math.min(stateOf(entry).selection.main.head, text.length);
            update(entry, { changes: { from: 0, to: stateOf(entry).doc.length, insert: text }, selection: { anchor: head } });
            entry.baseline = stateOf(entry).doc;
            if (entry.dirty) {
                entry.dirty = false;
                report('OnDirtyChanged', path, false);
            }
        },
        rename(from, to) {
            const entry = docs.get(from);
            if (!entry) return;
            docs.delete(from);
            entry.path = to;
            docs.set(to, entry);
            if (entry === current) view.dom.dataset.file = to;
        },
        close(path) {
            const entry = docs.get(path);
            if (!entry) return;
            docs.delete(path);
            if (entry === current) {
                current = null;
                view.setState(EditorState.create({ doc: '' }));
                delete view.dom.dataset.file;
            }
        },
        // PUT {content, version} to the file API (same origin, the sign-in cookie goes along). The answer is small.
        async save(path, url, version) {
            const entry = docs.get(path);
            if (!entry) return { status: 0, version: null, detail: 'The file is not open.', dirty: false };
            const doc = stateOf(entry).doc;
            let response;
            try {
                response = await fetch(url, {
                    method: 'PUT',
                    headers: { 'Content-Type': 'application/json' },
                    body: JSON.stringify(version == null ? { content: doc.toString() } : { content: doc.toString(), version }),
                    credentials: 'same-origin',
                });
            } catch {
                return { status: 0, version: null, detail: 'The save did not reach the server (connection lost).', dirty: entry.dirty };
            }
            if (!response.ok) return { status: response.status, version: null, detail: await detailOf(response), dirty: entry.dirty };
            const written = await response.json();
            entry.baseline = doc;
            checkDirty(entry, stateOf(entry).doc); // typing during the save leaves it dirty
            return { status: response.status, version: written.version, detail: null, dirty: entry.dirty };
        },
        focus() { view.focus(); },
        dispose() {
            observer.disconnect();
            view.destroy();
        },
    };
}
