import { useEffect } from 'react';
import type { Range } from '../../../../shared/runbook';
import { useCommandHandler } from '../commands/registry';
import { useReveal } from '../../stores/reveal';
import type { monaco } from './monaco';

type Editor = monaco.editor.IStandaloneCodeEditor;

/** Moves the editor to a place and gives it the focus. */
export function revealIn(editor: Editor, range: Pick<Range, 'line' | 'column'>): void {
  editor.revealLineInCenter(range.line);
  editor.setPosition({ lineNumber: range.line, column: range.column });
  editor.focus();
}

/**
 * The editor commands while a file is open in `editor`: save (its `saveAction`), go to line
 * (Monaco's widget), next and previous problem (Monaco's marker navigation, which shows the
 * problem in place); and the place another screen asked to show (the Problems view).
 */
export function useEditorCommands(editor: Editor | null, path: string, saveAction: string, ready: boolean): void {
  const action = (id: string) =>
    editor
      ? () => {
          editor.focus();
          void editor.getAction(id)?.run();
        }
      : null;
  useCommandHandler('editor.save', editor ? () => void editor.getAction(saveAction)?.run() : null);
  useCommandHandler('editor.gotoLine', action('editor.action.gotoLine'));
  useCommandHandler('editor.nextProblem', action('editor.action.marker.next'));
  useCommandHandler('editor.previousProblem', action('editor.action.marker.prev'));

  const reveal = useReveal((s) => (s.target?.path === path ? s.target : null));
  useEffect(() => {
    if (!editor || !ready || !reveal) return;
    revealIn(editor, reveal);
    useReveal.getState().done();
  }, [editor, ready, reveal]);
}
