// Copy and paste for the terminals, which must work over plain http too: the async Clipboard API exists only in a
// secure context (https, localhost), so elsewhere copying goes through a hidden textarea and execCommand('copy')
// (allowed during a user gesture), and pasting without clipboard.readText falls back to a dialog the page shows.

// Which way a copy goes: 'api' (navigator.clipboard.writeText) or 'fallback' (the textarea).
export function copyMethod(env) {
    return env.secure && env.hasWriteText ? 'api' : 'fallback';
}

// Which way a paste button goes: 'api' (navigator.clipboard.readText) or 'dialog' (the user pastes into a textarea).
export function pasteMethod(env) {
    return env.secure && env.hasReadText ? 'api' : 'dialog';
}

function environment() {
    return {
        secure: window.isSecureContext === true,
        hasWriteText: typeof navigator.clipboard?.writeText === 'function',
        hasReadText: typeof navigator.clipboard?.readText === 'function',
    };
}

function copyWithTextarea(text) {
    const previous = document.activeElement;
    const area = document.createElement('textarea');
    area.value = text;
    area.setAttribute('readonly', '');
    area.className = 'remolt-copy-buffer';
    document.body.appendChild(area);
    area.select();
    let ok = false;
    try {
        ok = document.execCommand('copy');
    } finally {
        area.remove();
        previous?.focus?.();
    }
    return ok;
}

// Copies text; resolves to the method that worked ('api' or 'fallback'), or 'failed'.
export async function copyText(text) {
    if (copyMethod(environment()) === 'api') {
        try {
            await navigator.clipboard.writeText(text);
            return 'api';
        } catch {
            // Permission refused or the document lost focus: the textarea may still work.
        }
    }
    return copyWithTextarea(text) ? 'fallback' : 'failed';
}

// Reads the clipboard; resolves to its text, or null when the page must ask for it (the paste dialog).
export async function readText() {
    if (pasteMethod(environment()) !== 'api') return null;
    try {
        return await navigator.clipboard.readText();
    } catch {
        return null;
    }
}
