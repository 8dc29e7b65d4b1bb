import { useCallback, useEffect, useState } from 'react';
import { apiClient, useConnection } from '../../stores/connection';
import { useEditor } from '../../stores/editor';
import { monaco } from './monaco';
import { markSaved } from './saved-texts';

/** Replaces the buffer with the text on disk, as one undoable edit, and marks it clean. */
export function loadText(model: monaco.editor.ITextModel, path: string, text: string) {
  model.pushEditOperations([], [{ range: model.getFullModelRange(), text }], () => null);
  markSaved(path, model.getValue(), model.getAlternativeVersionId());
  useEditor.getState().setDirty(path, false);
  void useEditor.getState().lintNow(path, text);
}

/**
 * Follows outside edits of the open runbook (`runbook.changed`): a clean buffer reloads
 * silently; a dirty one keeps the user's text and reports a conflict to resolve.
 */
export function useDiskChanges(path: string) {
  const client = useConnection((s) => s.client);
  const [conflict, setConflict] = useState<string | null>(null);

  useEffect(() => {
    setConflict(null);
    return client?.on('runbook.changed', (e) => {
      if (e.path !== path) return;
      const model = monaco.editor.getModel(monaco.Uri.file(path));
      if (!model) return;
      void apiClient()
        ['runbook.read']({ path })
        .then(({ text }) => {
          if (text === model.getValue()) return; // our own save, or no real change
          if (useEditor.getState().dirty) setConflict(text);
          else loadText(model, path, text);
        })
        .catch(() => undefined); // deleted or unreadable: the list shows it gone
    });
  }, [client, path]);

  const reload = useCallback(() => {
    const model = monaco.editor.getModel(monaco.Uri.file(path));
    if (model && conflict !== null) loadText(model, path, conflict);
    setConflict(null);
  }, [conflict, path]);

  return { conflict: conflict !== null, reload, keepMine: () => setConflict(null) };
}
