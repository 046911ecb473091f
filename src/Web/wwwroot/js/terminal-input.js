// Terminal input on its way to .NET (terminal.js), in order and in chunks the circuit accepts.
// Blazor caps browser-to-server messages at 32 KiB and one oversized interop call drops the circuit: keep input
// calls well under it.
export const INPUT_CHUNK_BYTES = 8 * 1024;
// Input waiting for the server is capped too: beyond it (a wedged circuit, a multi-megabyte paste) input is dropped
// with a warning rather than held without bound.
export const MAX_PENDING_INPUT_BYTES = 4 * 1024 * 1024;

// Copies (slice, not a view) so the interop serializer sees exactly the chunk.
// Sends byte chunks to .NET one at a time, awaiting each call, so pastes arrive whole and in order however large.
export class InputQueue {
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
