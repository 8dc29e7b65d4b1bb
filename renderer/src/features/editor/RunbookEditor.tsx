import { useEffect, useRef, useState } from 'react';
import type { Range } from '../../../../shared/runbook';
import { apiClient } from '../../stores/connection';
import { useEditor } from '../../stores/editor';
import { toMarker } from './markers';
import { monaco } from './monaco';
import { ProblemsList } from './ProblemsList';
import { RUNBOOK_LANGUAGE } from './runbook-language';
import { draftOf, dropDraft, keepDraft } from './drafts';
import { isDirty, markSaved } from './saved-texts';
import { revealIn, useEditorCommands } from './editor-commands';
import { loadText, useDiskChanges } from './use-disk-changes';

type Editor = ReturnType<typeof monaco.editor.create>;

const DRAFT_DELAY_MS = 300;

/** One runbook in Monaco: live diagnostics as markers and a problems list, Ctrl/Cmd+S saves. */
export default function RunbookEditor({ path }: { path: string }) {
  const host = useRef<HTMLDivElement>(null);
  const [editor, setEditor] = useState<Editor | null>(null);
  const [loadError, setLoadError] = useState<string | null>(null);
  const [restored, setRestored] = useState(false);
  const [loaded, setLoaded] = useState<string | null>(null);
  const { diagnostics, dirty, saving, error } = useEditor();
  const disk = useDiskChanges(path);

  useEffect(() => {
    const created = monaco.editor.create(host.current as HTMLDivElement, {
      automaticLayout: true,
      minimap: { enabled: false },
      wordWrap: 'on',
      fontSize: 13,
      lineNumbersMinChars: 3,
      scrollBeyondLastLine: false,
      renderLineHighlight: 'line',
      bracketPairColorization: { enabled: false },
      padding: { top: 12 },
      model: null,
    });
    // The problems list below grows as problems appear (a hint adds a line), which shortens the
    // editor: keep the line being typed on in view rather than letting it slip under the list.
    const relayout = created.onDidLayoutChange(() => {
      const position = created.getPosition();
      if (position && created.hasTextFocus()) created.revealPosition(position, monaco.editor.ScrollType.Immediate);
    });
    setEditor(created);
    return () => {
      relayout.dispose();
      created.dispose();
    };
  }, []);

  useEffect(() => {
    if (!editor) return;
    const store = useEditor.getState();
    store.reset();
    setLoadError(null);
    setRestored(false);
    let cancelled = false;
    let draftTimer: ReturnType<typeof setTimeout> | undefined;
    const disposables: { dispose(): void }[] = [{ dispose: () => clearTimeout(draftTimer) }];
    /** Keeps the unsaved text across a reload (or drops it once clean). */
    const trackDraft = (model: monaco.editor.ITextModel) => {
      clearTimeout(draftTimer);
      if (!isDirty(path, model)) return dropDraft(path);
      draftTimer = setTimeout(() => keepDraft(path, model.getValue()), DRAFT_DELAY_MS);
    };

    const save = async (model: monaco.editor.ITextModel) => {
      const text = model.getValue();
      const version = model.getAlternativeVersionId();
      if (await useEditor.getState().save(path, text)) {
        markSaved(path, text, version);
        useEditor.getState().setDirty(path, isDirty(path, model));
        trackDraft(model);
      }
    };

    void (async () => {
      const uri = monaco.Uri.file(path);
      let model = monaco.editor.getModel(uri);
      if (!model) {
        const { text } = await apiClient()['runbook.read']({ path });
        if (cancelled) return;
        model = monaco.editor.getModel(uri) ?? monaco.editor.createModel(text, RUNBOOK_LANGUAGE, uri);
        markSaved(path, model.getValue(), model.getAlternativeVersionId());
        // Edits not saved before the page was reloaded come back, as one undoable edit.
        const draft = draftOf(path);
        if (draft !== null && draft !== model.getValue()) {
          model.pushEditOperations([], [{ range: model.getFullModelRange(), text: draft }], () => null);
          setRestored(true);
        }
      }
      const current = model;
      editor.setModel(current);
      setLoaded(path);
      // The editor takes the focus once loaded, unless the user is already typing elsewhere (a run-panel field).
      if (!document.activeElement?.matches('input, textarea, select, [contenteditable="true"]')) editor.focus();
      store.setDirty(path, isDirty(path, current));
      disposables.push(
        current.onDidChangeContent(() => {
          useEditor.getState().setDirty(path, isDirty(path, current));
          trackDraft(current);
          useEditor.getState().scheduleLint(path, () => current.getValue());
        }),
        editor.addAction({
          id: 'jetty.save',
          label: 'Save runbook',
          keybindings: [monaco.KeyMod.CtrlCmd | monaco.KeyCode.KeyS],
          run: () => save(current),
        }),
      );
      await store.lintNow(path, current.getValue());
    })().catch((err: unknown) => setLoadError(err instanceof Error ? err.message : String(err)));

    return () => {
      cancelled = true;
      disposables.forEach((d) => d.dispose());
    };
  }, [editor, path]);

  useEffect(() => {
    const model = editor?.getModel();
    if (model) monaco.editor.setModelMarkers(model, 'runbook', diagnostics.map(toMarker));
  }, [editor, diagnostics]);

  const jump = (range: Range) => editor && revealIn(editor, range);
  const saveClicked = () => void editor?.getAction('jetty.save')?.run();
  // Ctrl/Cmd+S saves wherever the focus is (a parameter field, the problems list…), Ctrl+G, F8 and Shift+F8 too.
  useEditorCommands(editor, path, 'jetty.save', loaded === path);

  const discardRestored = () => {
    const model = editor?.getModel();
    if (model) void apiClient()['runbook.read']({ path }).then(({ text }) => (loadText(model, path, text), dropDraft(path)));
    setRestored(false);
  };

  return (
    <div className="editor-pane">
      <header className="editor-header">
        <span className="editor-path" title={path}>
          <bdi>{path}</bdi>
        </span>
        {dirty && (
          <span className="dirty-mark" aria-label="unsaved changes" title="Unsaved changes">
            ●
          </span>
        )}
        <span className="editor-status" role="status">
          {saving ? 'Saving…' : (error ?? loadError ?? '')}
        </span>
        <button type="button" className="button button-primary" onClick={saveClicked} disabled={!dirty || saving}>
          Save
        </button>
      </header>
      {restored && (
        <div className="banner restored-draft" role="status">
          Restored the edits you had not saved before the page was reloaded.{' '}
          <button type="button" className="button button-small button-quiet" onClick={discardRestored}>
            Discard them
          </button>
        </div>
      )}
      {disk.conflict && (
        <div className="banner banner-warning disk-conflict" role="alert">
          This file changed on disk while you have unsaved edits.{' '}
          <button type="button" className="button button-small" onClick={disk.reload}>
            Load the disk version
          </button>{' '}
          <button type="button" className="button button-small button-quiet" onClick={disk.keepMine}>
            Keep mine
          </button>
        </div>
      )}
      <div className="editor-host" ref={host} data-testid="editor" />
      <ProblemsList diagnostics={diagnostics} onJump={jump} />
    </div>
  );
}
