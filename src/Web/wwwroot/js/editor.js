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
    let baseline = null; // the text as read or last saved: dirty means "differs from it"
    let dirty = false;
    let loadToken = 0;

    function report(method, ...args) {
        dotnetRef.invokeMethodAsync(method, ...args).catch(err => console.warn('editor event not delivered', err));
    }

    function checkDirty(doc) {
        // Comparing is linear, so only when the lengths agree (an undo back to the saved text).
        const now = doc.length !== baseline.length || !doc.eq(baseline);
        if (now !== dirty) {
            dirty = now;
            report('OnDirtyChanged', dirty);
        }
    }

    const saveKey = keymap.of([{ key: 'Mod-s', preventDefault: true, run: () => { report('OnSaveRequested'); return true; } }]);

    function extensions() {
        return [
            saveKey, basicSetup, keymap.of([indentWithTab]), paletteTheme, colours.of(highlight(dark)), language.of([]),
            EditorView.updateListener.of(update => { if (update.docChanged && baseline) checkDirty(update.state.doc); }),
        ];
    }

    const view = new EditorView({ parent: host, state: EditorState.create({ doc: '', extensions: extensions() }) });

    // The theme toggle rewrites the palette's <style>: follow it.
    const observer = new MutationObserver(() => {
        const now = isDark();
        if (now !== dark) {
            dark = now;
            view.dispatch({ effects: colours.reconfigure(highlight(dark)) });
        }
    });
    observer.observe(document.head, { childList: true, subtree: true, characterData: true });
    observer.observe(document.documentElement, { attributes: true, attributeFilter: ['class', 'style', 'data-theme'] });

    async function setLanguage(name, token) {
        const description = LanguageDescription.matchFilename(languages, name);
        if (!description) return;
        try {
            const support = await description.load();
            if (token === loadToken) view.dispatch({ effects: language.reconfigure(support) });
        } catch (err) {
            console.warn('no syntax highlighting for', name, err);
        }
    }

    return {
        // A newly opened file: fresh state (its own undo history), its language loaded lazily.
        load(text, name) {
            const token = ++loadToken;
            view.setState(EditorState.create({ doc: text, extensions: extensions() }));
            baseline = view.state.doc;
            dirty = false;
            view.dom.dataset.file = name;
            setLanguage(name, token);
        },
        // The same file changed on disk: replace the text in place, keeping the cursor where it can stay.
        replace(text) {
            const head = view.state.selection.main.head;
            view.dispatch({ changes: { from: 0, to: view.state.doc.length, insert: text }, selection: { anchor: Math.min(head, text.length) } });
            baseline = view.state.doc;
            if (dirty) {
                dirty = false;
                report('OnDirtyChanged', false);
            }
        },
        clear() {
            ++loadToken;
            view.setState(EditorState.create({ doc: '', extensions: extensions() }));
            baseline = null;
            dirty = false;
            delete view.dom.dataset.file;
        },
        // PUT {content, version} to the file API (same origin, the sign-in cookie goes along). The answer is small.
        async save(url, version) {
            const doc = view.state.doc;
            let response;
            try {
                response = await fetch(url, {
                    method: 'PUT',
                    headers: { 'Content-Type': 'application/json' },
                    body: JSON.stringify(version == null ? { content: doc.toString() } : { content: doc.toString(), version }),
                    credentials: 'same-origin',
                });
            } catch {
                return { status: 0, version: null, detail: 'The save did not reach the server (connection lost).', dirty };
            }
            if (!response.ok) return { status: response.status, version: null, detail: await detailOf(response), dirty };
            const written = await response.json();
            baseline = doc;
            checkDirty(view.state.doc); // typing during the save leaves it dirty
            return { status: response.status, version: written.version, detail: null, dirty };
        },
        focus() { view.focus(); },
        dispose() {
            observer.disconnect();
            view.destroy();
        },
    };
}
