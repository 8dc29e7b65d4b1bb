import { useEffect, useRef } from 'react';
import { AnsiText, type TextMarks } from '../events/AnsiText';
import './replay-lines.css';
import type { LogLine } from '../events/log-lines';
import { LONG_LINE, shownText } from '../run/LogLineRow';

interface ReplayLineRowProps {
  line: LogLine;
  /** Its text as shown: as far as the replay cursor has written it. */
  text: string;
  /** Its row in the list, and where the list places it. */
  index: number;
  top: number;
  /** When its output started, as the list's offset label. */
  time: string;
  wrapped: boolean;
  expanded: boolean;
  cursor: boolean;
  marks: TextMarks | undefined;
  measure: ((el: Element | null) => void) | undefined;
  onToggle(line: number): void;
  lineIndex: number;
}

/** One line of a tool call's command output in the replay, nested under its call: as the live log shows it (colours, search marks, wrap or expand). */
export function ReplayLineRow(p: ReplayLineRowProps) {
  const { line } = p;
  const open = p.wrapped || p.expanded;
  const long = !p.wrapped && p.text.length > LONG_LINE;
  const text = useRef<HTMLSpanElement>(null);
  const current = p.marks?.current;
  // The match jumped to may lie past the row's right edge: scroll the line to it.
  useEffect(() => {
    const el = text.current;
    const mark = el?.querySelector<HTMLElement>('mark.search-current');
    if (el && mark) el.scrollLeft = mark.offsetLeft - el.offsetLeft - el.clientWidth / 2;
  }, [current]);
  return (
    <div
      ref={p.measure}
      data-index={p.index}
      className={`event-row replay-line type-command_output level-${line.level} nested${open ? ' is-wrapped' : ''}${p.cursor ? ' is-cursor' : ''}${p.marks?.current != null ? ' is-current' : ''}`}
      style={{ transform: `translateY(${p.top}px)` }}
      role="listitem"
      data-seq={line.seq}
      data-type="command_output"
      data-line={p.lineIndex}
    >
      <div className="event-line">
        {long ? (
          <button type="button" className="call-toggle" aria-expanded={p.expanded} aria-label={p.expanded ? 'Collapse line' : 'Expand line'} onClick={() => p.onToggle(p.lineIndex)}>
            {p.expanded ? '▾' : '▸'}
          </button>
        ) : (
          <span className="call-toggle-space" />
        )}
        <span className="event-time">{p.time}</span>
        <span className="event-type" aria-hidden="true" />
        <span className="replay-line-text" ref={text}>
          <AnsiText text={shownText(p.text, open, p.marks)} marks={p.marks} />
        </span>
      </div>
    </div>
  );
}
