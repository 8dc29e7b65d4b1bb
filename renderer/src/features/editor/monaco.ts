import * as monaco from 'monaco-editor/editor/editor.api.js';
import EditorWorker from 'monaco-editor/editor/editor.worker.js?worker';
import JsonWorker from 'monaco-editor/languages/features/json/json.worker.js?worker';
import 'monaco-editor/languages/features/json/register.js';
import 'monaco-editor/languages/definitions/yaml/register.js';
// The editor API alone has no widgets: add completion, hover, find (Ctrl+F), quick fixes (Ctrl+.),
import 'monaco-editor/editor/contrib/suggest/browser/suggestController.js';
import 'monaco-editor/features/hover/register.js';
import 'monaco-editor/features/find/register.js';
import 'monaco-editor/features/codeAction/register.js';
// Go to line (Ctrl+G) and the next / previous problem shown in place (F8 / Shift+F8).
import 'monaco-editor/features/gotoLine/register.js';
import 'monaco-editor/features/gotoError/register.js';
// Services that JSON's language features (a chunk loaded when the first workflow file opens)
// register with Monaco: a service registered after the first editor exists is unknown to it
// ('depends on UNKNOWN service ICodeLensCache'), so they are registered before any editor.
import 'monaco-editor/editor/contrib/codelens/browser/codeLensCache.js';
import 'monaco-editor/editor/common/services/treeViewsDndService.js';
import { useTheme } from '../../stores/theme';
import { registerIntellisense } from './intellisense';
import { registerQuickFixes } from './quick-fixes';
import { RUNBOOK_LANGUAGE, runbookLanguage } from './runbook-language';
import { registerWorkflowCompletions } from './workflow-language';

// Monaco bundled with the app (no CDN): its workers (the editor's, JSON's for workflow files) come from Vite's ?worker import.
(self as unknown as { MonacoEnvironment: monaco.Environment }).MonacoEnvironment = { getWorker: (_id, label) => (label === 'json' ? new JsonWorker() : new EditorWorker()) };

const { conf, language } = runbookLanguage();
monaco.languages.register({ id: RUNBOOK_LANGUAGE, extensions: ['.md'] });
monaco.languages.setLanguageConfiguration(RUNBOOK_LANGUAGE, conf);
monaco.languages.setMonarchTokensProvider(RUNBOOK_LANGUAGE, language);
registerIntellisense(monaco);
registerQuickFixes(monaco);
registerWorkflowCompletions(monaco);

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
