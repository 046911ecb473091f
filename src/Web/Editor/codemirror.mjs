// The entry of the CodeMirror 6 bundle (build/CodeMirror.targets runs esbuild on it into wwwroot/lib/codemirror/).
// Only what wwwroot/js/editor.js uses is exported. @codemirror/language-data loads each language's parser with a
// dynamic import(), which esbuild turns into a separate chunk: the page loads the grammars of the files it opens only.
export { basicSetup } from 'codemirror';
export { EditorView, keymap } from '@codemirror/view';
export { EditorState, Compartment } from '@codemirror/state';
export { indentWithTab } from '@codemirror/commands';
export { LanguageDescription, syntaxHighlighting, defaultHighlightStyle } from '@codemirror/language';
export { languages } from '@codemirror/language-data';
export { oneDarkHighlightStyle } from '@codemirror/theme-one-dark';
