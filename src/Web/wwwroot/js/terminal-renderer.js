// The WebGL renderer where it helps, the DOM renderer otherwise. 'auto' uses WebGL only on a GPU: a software
// rasteriser (SwiftShader, llvmpipe: what a headless or GPU-less browser gets) draws slower than the DOM renderer.
// WebGL that fails to start, or loses its context later, falls back to the DOM renderer on the spot.
// The element's data-renderer says which is in use ('webgl' or 'dom'), data-renderer-fallback why WebGL is not.
import { WebglAddon } from '../lib/xterm/addon-webgl.mjs';

function probe() {
    try {
        const gl = document.createElement('canvas').getContext('webgl2');
        if (!gl) return { available: false, software: false };
        const info = gl.getExtension('WEBGL_debug_renderer_info');
        const name = info ? String(gl.getParameter(info.UNMASKED_RENDERER_WEBGL)) : '';
        gl.getExtension('WEBGL_lose_context')?.loseContext();
        return { available: true, software: /swiftshader|llvmpipe|software/i.test(name) };
    } catch {
        return { available: false, software: false };
    }
}

let probed = null;

export class RendererSwitch {
    constructor(term, element) {
        this._term = term;
        this._element = element;
        this._webgl = null;
    }

    apply(preference) {
        if (preference === 'dom') {
            this._useDom('preference');
            return;
        }
        if (this._webgl) return;
        probed ??= probe();
        if (!probed.available) {
            this._useDom('unavailable');
            return;
        }
        if (preference === 'auto' && probed.software) {
            this._useDom('software');
            return;
        }
        try {
            const addon = new WebglAddon();
            addon.onContextLoss(() => {
                console.warn('terminal: WebGL context lost, using the DOM renderer');
                this._useDom('context-lost');
            });
            this._term.loadAddon(addon);
            this._webgl = addon;
            this._element.dataset.renderer = 'webgl';
            delete this._element.dataset.rendererFallback;
        } catch (err) {
            console.warn('terminal: WebGL renderer failed to start, using the DOM renderer', err);
            this._useDom('failed');
        }
    }

    _useDom(reason) {
        const addon = this._webgl;
        this._webgl = null;
        addon?.dispose();
        this._element.dataset.renderer = 'dom';
        this._element.dataset.rendererFallback = reason;
    }

    dispose() {
        const addon = this._webgl;
        this._webgl = null;
        addon?.dispose();
    }
}
