/**
 * Claude Code's file-writing tools, as `file_change` events: Write (`file_path`, `content`),
 * Edit (`file_path`, `old_string`, `new_string`), MultiEdit (`file_path`, `edits`) and
 * NotebookEdit (`notebook_path`, `new_source`). A result that begins "File created
 * successfully" made a new file; any other successful one updated a file.
 */
import { isObject, type Json } from '../json-lines';
import { replacementDiff, type FileTool, type Replacement } from '../file-change';

const text = (v: unknown) => (typeof v === 'string' ? v : '');
const kindOf = (output: string) => (output.startsWith('File created successfully') ? 'add' : 'update');
const replacementOf = (edit: Json): Replacement => ({ before: text(edit.old_string), after: text(edit.new_string) });

/** A change to `path` with the diff of `replacements` (null without a path). */
function change(path: unknown, output: string, replacements: Replacement[]) {
  if (typeof path !== 'string' || !path) return null;
  return { path, kind: kindOf(output), ...(replacements.length > 0 && { diff: replacementDiff(path, replacements) }) };
}

export const CLAUDE_CODE_FILE_TOOLS: Record<string, FileTool> = {
  // An overwritten file's old text is not in the call: only a new file has a diff.
  Write: (args, output) => change(args.file_path, output, kindOf(output) === 'add' ? [{ before: '', after: text(args.content) }] : []),
  Edit: (args, output) => change(args.file_path, output, [replacementOf(args)]),
  MultiEdit: (args, output) => change(args.file_path, output, (Array.isArray(args.edits) ? args.edits.filter(isObject) : []).map(replacementOf)),
  // A cell's old source is not in the call.
  NotebookEdit: (args) => change(args.notebook_path, '', []),
};
