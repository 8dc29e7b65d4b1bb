/**
 * The `file_change` of a CLI agent's file-writing tool call (claude-code's Write or Edit,
 * gemini-cli's write_file or replace), read from the call's arguments and its result: the
 * file, the kind of change, and a unified diff when the call carries the text it replaced.
 */
import { FILE_HEADERS_ONLY, formatPatch, structuredPatch } from 'diff';
import type { EventPayload } from '../../../shared/trajectory-events';
import { EVENT_OUTPUT_LIMIT, truncateMiddle } from './event-output';
import type { Json } from './json-lines';

/** What a file-writing tool call changed (the reader adds the call's id). */
export type FileChange = Omit<EventPayload<'file_change'>, 'tool_call_id'>;

/** A CLI's file-writing tool: the change a successful call made, from its arguments and result output; null when they name no file. */
export type FileTool = (args: Json, output: string) => FileChange | null;

/** Text a call replaced (`before` empty for a new file's content). */
export interface Replacement {
  before: string;
  after: string;
}

/** Ends a snippet with a newline, so a fragment of a line diffs as a line. */
const asLines = (text: string) => (text === '' || text.endsWith('\n') ? text : `${text}\n`);

/**
 * The unified diff of `replacements` in `path`, one hunk set per replacement. Its line
 * numbers count within each replaced text (the call does not say where in the file it was).
 */
export function replacementDiff(path: string, replacements: Replacement[]): string {
  const hunks = replacements.flatMap((r) => structuredPatch(path, path, asLines(r.before), asLines(r.after), undefined, undefined, { context: 3 }).hunks);
  const patch = formatPatch({ oldFileName: path, newFileName: path, oldHeader: undefined, newHeader: undefined, hunks }, FILE_HEADERS_ONLY);
  return truncateMiddle(patch.trimEnd(), EVENT_OUTPUT_LIMIT);
}

/** Tracks a session's tool calls and turns each successful file-writing one into its `file_change`. */
export function fileChangeTracker(tools: Record<string, FileTool>) {
  const calls = new Map<string, { name: string; args: unknown }>();
  return {
    /** Remembers a tool call (only file-writing ones are kept). */
    call(id: string, name: string, args: unknown) {
      if (Object.hasOwn(tools, name)) calls.set(id, { name, args });
    },
    /** The change call `id` made, once its result says it succeeded; null for other calls. */
    result(id: string, ok: boolean, output: string): EventPayload<'file_change'> | null {
      const call = calls.get(id);
      calls.delete(id);
      if (!call || !ok || typeof call.args !== 'object' || call.args === null) return null;
      const change = tools[call.name](call.args as Json, output);
      return change && { ...change, tool_call_id: id };
    },
  };
}
