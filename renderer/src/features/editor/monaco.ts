import * as monaco from 'monaco-editor/editor/editor.api.js';
import EditorWorker from 'monaco-editor/editor/editor.worker.js?worker';
import 'monaco-editor/languages/definitions/yaml/register.js';
// The editor API alone has no widgets: add completion, hover and find (Ctrl+F).
import 'monaco-editor/editor/contrib/suggest/browser/suggestController.js';
import 'monaco-editor/features/hover/register.js';
import 'monaco-editor/features/find/register.js';
import { useTheme } from '../../stores/theme';
import { registerIntellisense } from './intellisense';
import { RUNBOOK_LANGUAGE, runbookLanguage } from './runbook-language';

// Monaco bundled with the app (no CDN): its one worker comes from Vite's ?worker import.
(self as unknown as { MonacoEnvironment: monaco.Environment }).MonacoEnvironment = { getWorker: () => new EditorWorker() };

const { conf, language } = runbookLanguage();
monaco.languages.register({ id: RUNBOOK_LANGUAGE, extensions: ['.md'] });
monaco.languages.setLanguageConfiguration(RUNBOOK_LANGUAGE, conf);
monaco.languages.setMonarchTokensProvider(RUNBOOK_LANGUAGE, language);
registerIntellisense(monaco);

monaco.editor.defineTheme('jetty-light', {
  base: 'vs',
  inherit: true,
  rules: [{ token: 'variable', foreground: '7c3aed', fontStyle: 'bold' }],
  colors: { 'editor.background': '#ffffff' },
});
monaco.editor.defineTheme('jetty-dark', {
  base: 'vs-dark',
  inherit: true,
  rules: [{ token: 'variable', foreground: 'c4b5fd', fontStyle: 'bold' }],
  colors: { 'editor.background': '#181b22' },
});

/** Keeps Monaco's theme on the app's (dark, light or the system's). */
const applyTheme = (resolved: 'dark' | 'light') => monaco.editor.setTheme(resolved === 'dark' ? 'jetty-dark' : 'jetty-light');
useTheme.subscribe(({ resolved }) => applyTheme(resolved));
applyTheme(useTheme.getState().resolved);

export { monaco };
