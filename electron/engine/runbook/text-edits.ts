import type { QuickFix } from '../../../shared/runbook';

type Edit = QuickFix['edits'][number];

/** Offsets of each line's start in `text` (lines end at `\n`; a `\r` before it belongs to the line's end). */
function lineStarts(text: string): number[] {
  const starts = [0];
  for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) starts.push(i + 1);
  return starts;
}

/**
 * Applies text edits (1-based lines and UTF-16 columns, as diagnostics give them) to `text`.
 * The edits must not overlap; they are applied from the last to the first, so each one's
 * range is read in the original text. A position past a line's end is its end.
 */
export function applyEdits(text: string, edits: readonly Edit[]): string {
  const starts = lineStarts(text);
  const offset = (line: number, column: number): number => {
    if (line > starts.length) return text.length;
    const start = starts[line - 1];
    const next = line < starts.length ? starts[line] - 1 : text.length;
    const end = next > start && text[next - 1] === '\r' ? next - 1 : next;
    return Math.min(start + column - 1, end);
  };
  const placed = edits.map((e) => ({ from: offset(e.range.line, e.range.column), to: offset(e.range.endLine, e.range.endColumn), text: e.text }));
  placed.sort((a, b) => b.from - a.from || b.to - a.to);
  let out = text;
  for (const e of placed) out = out.slice(0, e.from) + e.text + out.slice(e.to);
  return out;
}
