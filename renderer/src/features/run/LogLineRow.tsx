import type { VirtualItem } from '@tanstack/react-virtual';
import { AnsiText, type TextMarks } from '../events/AnsiText';
import type { LogLine } from '../events/log-lines';

/** Lines longer than this get a button to expand them when lines are not wrapped. */
export const LONG_LINE = 160;
/** What a folded line lays out at most: far wider than any screen, and a 200,000-character line stays cheap. */
const FOLDED_CHARS = 2000;

/** What a line lays out: all of it when open (wrapped or expanded), else its start, unless the match jumped to lies further on. */
export function shownText(text: string, open: boolean, marks: TextMarks | undefined): string {
  const cut = open || (marks?.current != null && marks.current + marks.length > FOLDED_CHARS) ? text.length : FOLDED_CHARS;
  return text.length > cut ? text.slice(0, cut) : text;
}

interface LogLineRowProps {
  line: LogLine;
  row: VirtualItem;
  /** 1-based line number shown in the gutter. */
  number: number;
  wrapped: boolean;
  expanded: boolean;
  marks: TextMarks | undefined;
  measure: ((el: Element | null) => void) | undefined;
  onToggle(index: number): void;
}

/** One line of a log: its number, what kind of event it came from, its text (ANSI colours, search marks). */
export function LogLineRow({ line, row, number, wrapped, expanded, marks, measure, onToggle }: LogLineRowProps) {
  const long = !wrapped && line.text.length > LONG_LINE;
  const text = shownText(line.text, wrapped || expanded, marks);
  return (
    <div
      ref={measure}
      data-index={row.index}
      className={`log-line log-${line.type} level-${line.level}${wrapped || expanded ? ' is-wrapped' : ''}${marks?.current != null ? ' is-current' : ''}`}
      style={{ transform: `translateY(${row.start}px)` }}
      data-seq={line.seq}
      data-line={number}
    >
      <span className="log-number" aria-hidden="true">
        {number}
      </span>
      {long ? (
        <button type="button" className="log-expand" aria-expanded={expanded} aria-label={expanded ? 'Collapse line' : 'Expand line'} onClick={() => onToggle(row.index)}>
          {expanded ? '▾' : '▸'}
        </button>
      ) : (
        <span className="log-expand-space" />
      )}
      <span className="log-type">{line.type === 'command_output' ? '' : line.type.replace('_', ' ')}</span>
      <span className="log-text">
        <AnsiText text={text} marks={marks} />
      </span>
    </div>
  );
}
