// Workspace upload for Components/Pages/Workspace/WorkspaceToolbar (the download is a plain link: the browser streams
// it to disk, and the server names it remolt-workspace-{time}.tar.gz). The upload POSTs the raw file with XMLHttpRequest (for progress), so a large archive
// never travels through the Blazor circuit. Results go back to .NET, which renders them.

const PROGRESS_INTERVAL_MS = 100;

function detailOf(xhr) {
    try {
        const detail = JSON.parse(xhr.responseText).detail;
        if (typeof detail === 'string') return detail;
        if (detail !== undefined) return JSON.stringify(detail);
    } catch {
        // Not the API's JSON (a proxy's error page): fall back to the status text.
    }
    return xhr.statusText || `HTTP ${xhr.status}`;
}

export function init(root, dotnetRef, uploadUrl) {
    const input = root.querySelector('input[type=file]');
    let xhr = null;

    function report(method, ...args) {
        dotnetRef.invokeMethodAsync(method, ...args).catch(err => console.warn('upload status not delivered', err));
    }

    function upload(file) {
        xhr = new XMLHttpRequest();
        const request = xhr;
        let last = 0;
        request.open('POST', uploadUrl);
        request.setRequestHeader('Content-Type', 'application/gzip');
        request.upload.onprogress = e => {
            const now = performance.now();
            if (now - last < PROGRESS_INTERVAL_MS && e.loaded < e.total) return;
            last = now;
            report('OnUploadProgress', e.loaded, e.lengthComputable ? e.total : file.size);
        };
        request.onload = () => {
            xhr = null;
            const ok = request.status >= 200 && request.status < 300;
            report('OnUploadFinished', request.status, ok ? '' : detailOf(request), file.name);
        };
        request.onerror = () => {
            xhr = null;
            report('OnUploadFinished', 0, 'The upload did not reach the server (connection lost).', file.name);
        };
        report('OnUploadStarted', file.name, file.size);
        request.send(file);
    }

    const onChange = () => {
        const file = input.files && input.files[0];
        input.value = ''; // the same file can be picked again
        if (file && !xhr) upload(file);
    };
    input.addEventListener('change', onChange);

    return {
        dispose() {
            input.removeEventListener('change', onChange);
            if (xhr) xhr.abort();
        },
    };
}
