import type * as Monaco from 'monaco-editor/editor/editor.api.js';
import type { Diagnostic } from '../../../../shared/runbook';
import { useEditor } from '../../stores/editor';
import { RUNBOOK_LANGUAGE } from './runbook-language';

type MonacoApi = typeof Monaco;

/** The diagnostic a marker shows (same code, same start), if it carries a quick fix. */
function fixableDiagnostic(marker: Monaco.editor.IMarkerData, diagnostics: readonly Diagnostic[]): Diagnostic | undefined {
  const code = typeof marker.code === 'string' ? marker.code : marker.code?.value;
  return diagnostics.find((d) => d.fix && d.code === code && d.range.line === marker.startLineNumber && d.range.column === marker.startColumn);
}

/** Quick fixes (Ctrl+. and the light bulb) from the engine's diagnostics: each applies its text edits. */
export function registerQuickFixes(monaco: MonacoApi): void {
  monaco.languages.registerCodeActionProvider(RUNBOOK_LANGUAGE, {
    provideCodeActions(model, _range, context) {
      const { diagnostics } = useEditor.getState();
      const actions = context.markers.flatMap((marker) => {
        const d = fixableDiagnostic(marker, diagnostics);
        if (!d?.fix) return [];
        const edits = d.fix.edits.map((e) => ({
          resource: model.uri,
          versionId: model.getVersionId(),
          textEdit: { range: new monaco.Range(e.range.line, e.range.column, e.range.endLine, e.range.endColumn), text: e.text },
        }));
        return [{ title: d.fix.title, kind: 'quickfix', diagnostics: [marker], isPreferred: true, edit: { edits } }];
      });
      return { actions, dispose: () => undefined };
    },
  });
}
