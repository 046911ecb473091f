// The Files tab's tree (Components/Pages/Workspace/Files/FilesPane): what Blazor's events cannot do. Arrow keys must
// not scroll the tree (Blazor handles the key itself); the selected row is scrolled into view; a row dragged onto a
// folder is a move (.NET does it); files dragged from the desktop, or picked with the Upload button's hidden input,
// are uploaded here with XMLHttpRequest (for progress) as raw PUTs to the file API: the bytes never go through the
// circuit. An existing file is not replaced unless .NET, having asked the user, says so.

const NAV_KEYS = new Set(['ArrowUp', 'ArrowDown', 'ArrowLeft', 'ArrowRight', 'Home', 'End', ' ']);
const MOVE_TYPE = 'application/x-remolt-path';
const PROGRESS_INTERVAL_MS = 100;

function fileUrl(sessionId, path, overwrite) {
    const segments = path.split('/').filter(s => s.length > 0).map(encodeURIComponent).join('/');
    return `/api/sessions/${sessionId}/files/${segments}` + (overwrite ? '?overwrite=true' : '');
}

function detailOf(xhr) {
    try {
        const detail = JSON.parse(xhr.responseText).detail;
        if (typeof detail === 'string') return detail;
    } catch {
        // Not the API's JSON: the status text says enough.
    }
    return xhr.statusText || `HTTP ${xhr.status}`;
}

const join = (folder, name) => (folder === '/' ? '' : folder) + '/' + name;

export function init(root, dotnetRef, sessionId) {
    const tree = root.querySelector('[role=tree]');
    const input = root.querySelector('input[type=file][data-upload]');
    let queue = Promise.resolve();
    let active = null;
    let marked = null;

    function report(method, ...args) {
        return dotnetRef.invokeMethodAsync(method, ...args).catch(err => { console.warn('files event not delivered', err); return null; });
    }

    function put(file, path, overwrite) {
        return new Promise(resolve => {
            const xhr = active = new XMLHttpRequest();
            let last = 0;
            xhr.open('PUT', fileUrl(sessionId, path, overwrite));
            xhr.setRequestHeader('Content-Type', 'application/octet-stream');
            xhr.upload.onprogress = e => {
                const now = performance.now();
                if (now - last < PROGRESS_INTERVAL_MS && e.loaded < e.total) return;
                last = now;
                report('OnUploadProgress', path, e.loaded, e.lengthComputable ? e.total : file.size);
            };
            xhr.onload = () => resolve({ status: xhr.status, detail: xhr.status >= 200 && xhr.status < 300 ? '' : detailOf(xhr) });
            xhr.onerror = () => resolve({ status: 0, detail: 'The upload did not reach the server (connection lost).' });
            xhr.onabort = () => resolve({ status: 0, detail: 'The upload was cancelled.' });
            xhr.send(file);
        });
    }

    async function uploadOne(file, folder) {
        const path = join(folder, file.name);
        await report('OnUploadStarted', path, file.size);
        let result = await put(file, path, false);
        if (result.status === 409 && await report('ConfirmOverwrite', path) === true) {
            result = await put(file, path, true);
        }
        active = null;
        await report('OnUploadFinished', path, result.status, result.detail);
    }

    // One upload at a time, in the order they were dropped.
    function upload(files, folder) {
        for (const file of files) queue = queue.then(() => uploadOne(file, folder));
    }

    // The folder a drop lands in: a folder row itself, a file row's folder, or the workspace (empty space).
    function dropFolder(target) {
        const row = target.closest && target.closest('[data-path]');
        if (!row) return '/';
        return row.dataset.dir === 'true' ? row.dataset.path : (row.dataset.parent || '/');
    }

    function mark(element) {
        if (marked === element) return;
        marked?.classList.remove('drop-target');
        marked = element;
        marked?.classList.add('drop-target');
    }

    const onKeyDown = e => { if (NAV_KEYS.has(e.key) && e.target === tree) e.preventDefault(); };
    // Ctrl/Cmd+S anywhere in the Files tab saves the open file (the editor handles it itself, and marks it handled),
    // rather than the browser offering to save the page.
    const onSaveKey = e => {
        if ((e.ctrlKey || e.metaKey) && !e.altKey && e.key.toLowerCase() === 's' && !e.defaultPrevented) {
            e.preventDefault();
            report('OnSaveRequested');
        }
    };
    const onDragStart = e => {
        const row = e.target.closest && e.target.closest('[data-path]');
        if (!row) return;
        e.dataTransfer.setData(MOVE_TYPE, row.dataset.path);
        e.dataTransfer.effectAllowed = 'move';
    };
    const onDragOver = e => {
        const types = Array.from(e.dataTransfer?.types || []);
        if (!types.includes('Files') && !types.includes(MOVE_TYPE)) return;
        e.preventDefault();
        e.dataTransfer.dropEffect = types.includes(MOVE_TYPE) ? 'move' : 'copy';
        const folder = dropFolder(e.target);
        mark(folder === '/' ? tree : tree.querySelector(`[data-path="${CSS.escape(folder)}"]`));
    };
    const onDragLeave = e => { if (!tree.contains(e.relatedTarget)) mark(null); };
    const onDrop = e => {
        mark(null);
        const folder = dropFolder(e.target);
        const from = e.dataTransfer.getData(MOVE_TYPE);
        if (from) {
            e.preventDefault();
            report('OnMoveDropped', from, folder);
        } else if (e.dataTransfer.files && e.dataTransfer.files.length > 0) {
            e.preventDefault();
            upload(Array.from(e.dataTransfer.files), folder);
        }
    };
    const onPick = () => {
        const files = Array.from(input.files || []);
        input.value = ''; // the same file can be picked again
        if (files.length > 0) upload(files, input.dataset.folder || '/');
    };
    // Keep the keyboard's row visible (aria-activedescendant changes on every arrow key).
    const observer = new MutationObserver(() => {
        const id = tree.getAttribute('aria-activedescendant');
        const row = id && document.getElementById(id);
        if (row) row.scrollIntoView({ block: 'nearest' });
    });
    observer.observe(tree, { attributes: true, attributeFilter: ['aria-activedescendant'] });

    tree.addEventListener('keydown', onKeyDown);
    root.addEventListener('keydown', onSaveKey);
    tree.addEventListener('dragstart', onDragStart);
    tree.addEventListener('dragover', onDragOver);
    tree.addEventListener('dragleave', onDragLeave);
    tree.addEventListener('drop', onDrop);
    input?.addEventListener('change', onPick);

    return {
        focusTree() { tree.focus(); },
        dispose() {
            observer.disconnect();
            tree.removeEventListener('keydown', onKeyDown);
            root.removeEventListener('keydown', onSaveKey);
            tree.removeEventListener('dragstart', onDragStart);
            tree.removeEventListener('dragover', onDragOver);
            tree.removeEventListener('dragleave', onDragLeave);
            tree.removeEventListener('drop', onDrop);
            input?.removeEventListener('change', onPick);
            if (active) active.abort();
        },
    };
}
