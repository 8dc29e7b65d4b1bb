import type * as Monaco from 'monaco-editor/editor/editor.api.js';
import type { Diagnostic } from '../../../../shared/runbook';
import { apiClient } from '../../stores/connection';
import { useEditor } from '../../stores/editor';
import { useSelection } from '../../stores/selection';
import { RUNBOOK_LANGUAGE } from './runbook-language';

type MonacoApi = typeof Monaco;

const IGNORE_COMMAND = 'jetty.ignoreRule';

/** The diagnostic a marker shows (same code, same start). */
function diagnosticOf(marker: Monaco.editor.IMarkerData, diagnostics: readonly Diagnostic[]): Diagnostic | undefined {
  const code = typeof marker.code === 'string' ? marker.code : marker.code?.value;
  return diagnostics.find((d) => d.code === code && d.range.line === marker.startLineNumber && d.range.column === marker.startColumn);
}

/**
 * Silences a rule from the editor: in this runbook the engine computes the `lint_ignore`
 * edit of the buffer (applied as one undoable edit, saved with the rest), in the folder it
 * writes the open folder's `.jettylintrc.json` (and the buffer is checked again).
 */
async function ignoreRule(monaco: MonacoApi, uri: Monaco.Uri, code: string, scope: 'runbook' | 'folder') {
  const model = monaco.editor.getModel(uri);
  if (!model) return;
  // The model shown is the open runbook's (its URI was made from this path).
  const path = useSelection.getState().path ?? uri.fsPath;
  try {
    if (scope === 'folder') {
      await apiClient()['lint.ignore']({ path, code, scope });
    } else {
      const { fix } = await apiClient()['lint.ignore']({ path, code, scope, text: model.getValue() });
      const edits = (fix?.edits ?? []).map((e) => ({ range: new monaco.Range(e.range.line, e.range.column, e.range.endLine, e.range.endColumn), text: e.text }));
      model.pushEditOperations([], edits, () => null);
    }
    await useEditor.getState().lintNow(path, model.getValue());
  } catch (err) {
    useEditor.setState({ error: `Could not ignore ${code}: ${err instanceof Error ? err.message : String(err)}` });
  }
}

/**
 * Quick fixes (Ctrl+. and the light bulb) from the engine's diagnostics: each applies its
 * text edits; and for every problem, ignoring its rule in this runbook or in the folder.
 */
export function registerQuickFixes(monaco: MonacoApi): void {
  monaco.editor.registerCommand(IGNORE_COMMAND, (_accessor, uri: Monaco.Uri, code: string, scope: 'runbook' | 'folder') => void ignoreRule(monaco, uri, code, scope));
  monaco.languages.registerCodeActionProvider(RUNBOOK_LANGUAGE, {
    provideCodeActions(model, _range, context) {
      const { diagnostics } = useEditor.getState();
      const actions = context.markers.flatMap((marker) => {
        const d = diagnosticOf(marker, diagnostics);
        if (!d) return [];
        const fix = d.fix && {
          title: d.fix.title,
          kind: 'quickfix',
          diagnostics: [marker],
          isPreferred: true,
          edit: {
            edits: d.fix.edits.map((e) => ({
              resource: model.uri,
              versionId: model.getVersionId(),
              textEdit: { range: new monaco.Range(e.range.line, e.range.column, e.range.endLine, e.range.endColumn), text: e.text },
            })),
          },
        };
        const ignore = (scope: 'runbook' | 'folder') => ({
          title: scope === 'runbook' ? `Ignore ${d.code} in this runbook (lint_ignore)` : `Ignore ${d.code} in this folder (.jettylintrc.json)`,
          kind: 'quickfix',
          diagnostics: [marker],
          command: { id: IGNORE_COMMAND, title: 'Ignore rule', arguments: [model.uri, d.code, scope] },
        });
        return [...(fix ? [fix] : []), ignore('runbook'), ignore('folder')];
      });
      return { actions, dispose: () => undefined };
    },
  });
}
