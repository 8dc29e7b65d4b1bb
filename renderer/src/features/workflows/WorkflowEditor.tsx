import { useEffect, useRef, useState } from 'react';
import type { Diagnostic, Range } from '../../../../shared/runbook';
import { apiClient } from '../../stores/connection';
import { toMarker } from '../editor/markers';
import { monaco } from '../editor/monaco';
import { ProblemsList } from '../editor/ProblemsList';
import { isDirty, markSaved } from '../editor/saved-texts';
import { applyWorkflowSchema, WORKFLOW_LANGUAGE } from '../editor/workflow-language';
import { revealIn, useEditorCommands } from '../editor/editor-commands';

type Editor = ReturnType<typeof monaco.editor.create>;

const LINT_DELAY_MS = 250;
const messageOf = (err: unknown) => (err instanceof Error ? err.message : String(err));

/** The workflow schema, fetched once and given to Monaco's JSON language before the first workflow model exists. */
let schemaReady: Promise<void> | null = null;
const loadSchema = () => (schemaReady ??= apiClient()['workflow.schema']({}).then(applyWorkflowSchema));

/**
 * One workflow file in Monaco's JSON editor: the workflow schema (activities, parameters),
 * our located diagnostics (WF0xx) as you type, path completions; Ctrl/Cmd+S saves.
 * `onSaved` gets the text on disk (loaded or saved), which the run panel runs.
 */
export default function WorkflowEditor({ path, onSaved }: { path: string; onSaved(text: string): void }) {
  const host = useRef<HTMLDivElement>(null);
  const [editor, setEditor] = useState<Editor | null>(null);
  const [diagnostics, setDiagnostics] = useState<Diagnostic[]>([]);
  const [dirty, setDirty] = useState(false);
  const [saving, setSaving] = useState(false);
  const [status, setStatus] = useState<string | null>(null);
  const [loaded, setLoaded] = useState<string | null>(null);
  const savedRef = useRef(onSaved);
  savedRef.current = onSaved;

  useEffect(() => {
    const created = monaco.editor.create(host.current as HTMLDivElement, {
      automaticLayout: true,
      minimap: { enabled: false },
      fontSize: 13,
      lineNumbersMinChars: 3,
      scrollBeyondLastLine: false,
      tabSize: 2,
      padding: { top: 12 },
      quickSuggestions: { strings: true, other: true, comments: false },
      model: null,
    });
    setEditor(created);
    return () => created.dispose();
  }, []);

  useEffect(() => {
    if (!editor) return;
    setDiagnostics([]);
    setStatus(null);
    let cancelled = false;
    let generation = 0;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const disposables: { dispose(): void }[] = [];
    const lint = async (text: string) => {
      const mine = ++generation;
      try {
        const result = await apiClient()['workflow.lint']({ path, text });
        if (!cancelled && mine === generation) setDiagnostics(result.diagnostics);
      } catch (err) {
        if (!cancelled) setStatus(`Could not check the workflow: ${messageOf(err)}`);
      }
    };
    const save = async (model: monaco.editor.ITextModel) => {
      clearTimeout(timer);
      const text = model.getValue();
      const version = model.getAlternativeVersionId();
      const mine = ++generation;
      setSaving(true);
      try {
        const result = await apiClient()['workflow.save']({ path, text });
        markSaved(path, text, version);
        if (cancelled) return;
        if (mine === generation) setDiagnostics(result.diagnostics);
        setDirty(isDirty(path, model));
        setStatus(null);
        savedRef.current(text);
      } catch (err) {
        if (!cancelled) setStatus(`Not saved: ${messageOf(err)}`);
      } finally {
        if (!cancelled) setSaving(false);
      }
    };

    void (async () => {
      await loadSchema();
      const uri = monaco.Uri.file(path);
      let model = monaco.editor.getModel(uri);
      const { text } = await apiClient()['runbook.read']({ path });
      if (cancelled) return;
      if (!model) {
        model = monaco.editor.createModel(text, WORKFLOW_LANGUAGE, uri);
        markSaved(path, text, model.getAlternativeVersionId());
      }
      const current = model;
      editor.setModel(current);
      setLoaded(path);
      editor.focus();
      setDirty(isDirty(path, current));
      savedRef.current(text);
      disposables.push(
        current.onDidChangeContent(() => {
          setDirty(isDirty(path, current));
          clearTimeout(timer);
          timer = setTimeout(() => void lint(current.getValue()), LINT_DELAY_MS);
        }),
        editor.addAction({
          id: 'jetty.save-workflow',
          label: 'Save workflow',
          keybindings: [monaco.KeyMod.CtrlCmd | monaco.KeyCode.KeyS],
          run: () => save(current),
        }),
      );
      await lint(current.getValue());
    })().catch((err: unknown) => setStatus(messageOf(err)));

    return () => {
      cancelled = true;
      clearTimeout(timer);
      disposables.forEach((d) => d.dispose());
    };
  }, [editor, path]);

  useEffect(() => {
    const model = editor?.getModel();
    // A diagnostic names a member by where its key starts: mark the member's line from there.
    const toLine = (d: Diagnostic) => ({ ...toMarker(d), endLineNumber: d.range.line, endColumn: Math.max(model!.getLineLastNonWhitespaceColumn(d.range.line), d.range.column + 1) });
    if (model) monaco.editor.setModelMarkers(model, 'workflow', diagnostics.map(toLine));
  }, [editor, diagnostics]);

  const jump = (range: Range) => editor && revealIn(editor, range);
  useEditorCommands(editor, path, 'jetty.save-workflow', loaded === path);

  return (
    <div className="editor-pane">
      <header className="editor-header">
        <span className="kind-badge">workflow</span>
        <span className="editor-path" title={path}>
          <bdi>{path}</bdi>
        </span>
        {dirty && (
          <span className="dirty-mark" aria-label="unsaved changes" title="Unsaved changes">
            ●
          </span>
        )}
        <span className="editor-status" role="status">
          {saving ? 'Saving…' : (status ?? '')}
        </span>
        <button type="button" className="button button-primary" onClick={() => void editor?.getAction('jetty.save-workflow')?.run()} disabled={!dirty || saving}>
          Save
        </button>
      </header>
      <div className="editor-host" ref={host} data-testid="editor" />
      <ProblemsList diagnostics={diagnostics} onJump={jump} emptyText="No problems in this workflow." />
    </div>
  );
}
