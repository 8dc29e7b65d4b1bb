/**
 * Gemini CLI's file-writing tools (WRITE_FILE_TOOL_NAME and EDIT_TOOL_NAME in
 * packages/core/src/tools/definitions/base-declarations.ts of google-gemini/gemini-cli), as
 * `file_change` events: write_file (`file_path`, `content`) and replace (`file_path`,
 * `old_string`, `new_string`; an empty `old_string` creates the file).
 */
import { replacementDiff, type FileTool } from '../file-change';

const text = (v: unknown) => (typeof v === 'string' ? v : '');
const pathOf = (args: Record<string, unknown>) => (typeof args.file_path === 'string' && args.file_path ? args.file_path : null);

export const GEMINI_FILE_TOOLS: Record<string, FileTool> = {
  // stream-json's result of write_file carries no text (its display is a diff object), so
  // whether the file was there before is unknown: the kind says only that it was written whole.
  write_file: (args) => {
    const path = pathOf(args);
    return path ? { path, kind: 'write' } : null;
  },
  replace: (args) => {
    const path = pathOf(args);
    const before = text(args.old_string);
    return path ? { path, kind: before === '' ? 'add' : 'update', diff: replacementDiff(path, [{ before, after: text(args.new_string) }]) } : null;
  },
};
