// Bundles codemirror.mjs for the browser (run by build/CodeMirror.targets; `node Editor/build.mjs` by hand works too).
// esbuild's JS API rather than its binary: the package swaps its bin/ script for a native executable on install, and
// the path of that differs between operating systems.
import { build } from 'esbuild';

const started = performance.now();
const result = await build({
    entryPoints: ['Editor/codemirror.mjs'],
    bundle: true,
    format: 'esm',
    splitting: true,
    minify: true,
    target: 'es2022',
    outdir: 'wwwroot/lib/codemirror',
    entryNames: '[name]',
    chunkNames: 'chunks/[name]-[hash]',
    logLevel: 'warning',
    metafile: true,
});
const files = Object.keys(result.metafile.outputs).length;
console.log(`CodeMirror bundle: ${files} files in ${Math.round(performance.now() - started)} ms`);
