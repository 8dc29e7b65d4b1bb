import { useVirtualizer } from '@tanstack/react-virtual';
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import type { TrajectoryEvent } from '../../../../shared/trajectory';
import { stripAnsi } from '../events/ansi';
import { AnsiText, type TextMarks } from '../events/AnsiText';
import { matchStarts, type LineMatch } from '../events/line-search';
import { lineTextBefore, type LogLine } from '../events/log-lines';
import { SearchBar } from '../events/SearchBar';
import { eventSummary, toolCallIdOf } from '../../../../shared/event-text';
import { useLogSearch } from '../run/use-log-search';
import { ReplayLineRow } from './ReplayLineRow';
import { eventOfRow, rowOfEvent, stepOf } from './rows';
import { EventView } from './views/EventView';

const ROW = 24;
const STEP_ROW = 26;

interface EventListProps {
  events: TrajectoryEvent[];
  /** The log's lines the rows point into (`buildRows`). */
  lines: readonly LogLine[];
  rows: Int32Array;
  /** The find box's text: the rows shown are those that contain it. */
  onSearch(query: string): void;
  start: number;
  /** The event the cursor is on: the list keeps it in view while following. */
  cursorIndex: number;
  follow: boolean;
  /** A live run shown to its end: while scrolled to the bottom, the list stays there as events arrive. */
  tail: boolean;
  collapsedSteps: Set<string>;
  collapsedCalls: Set<string>;
  onToggleStep(step: string): void;
  onToggleCall(id: string): void;
  /** An event to show first, opened (a search's hit), once its row is loaded. */
  focusSeq?: number;
}

/** How close to the bottom (px) still counts as "at the end". */
const TAIL_SLACK = ROW;

const offset = (ms: number) => `+${(ms / 1000).toFixed(3)}s`;

/** What a step header contributes to the find box's matches: nothing. */
const HEADER_TEXT = { text: '' };

/** The search marks of a row's shown text (`query` lower-cased), the focused match's start when it is on this row. */
function marksOf(text: string, query: string, row: number, current: LineMatch | null): TextMarks | undefined {
  const starts = query ? matchStarts(stripAnsi(text), query) : [];
  return starts.length ? { starts, length: query.length, current: current?.line === row ? current.start : null } : undefined;
}

/**
 * The replay's events grouped by step, virtualised; a tool call's command output shows as
 * its lines (as in the live log), nested under the call; rows expand to their full content.
 * The find box narrows the rows to those that contain it, marks every match and jumps between them.
 */
export function EventList(p: EventListProps) {
  const scroller = useRef<HTMLDivElement>(null);
  /** Lines (by index) expanded: an event's detail, or a long output line in full. */
  const [expanded, setExpanded] = useState<ReadonlySet<number>>(new Set());
  const [wrap, setWrap] = useState(false);
  const atBottom = useRef(true);
  const lastScrollTop = useRef(0);
  // Rows have fixed heights (as the CSS sets them); only expanded rows are measured, so
  // scrolling through 100,000 rows mounts rows without a ResizeObserver round per row.
  // Stable callbacks: the virtualizer recomputes every row's offset when they change.
  const { rows, lines } = p;
  const estimateSize = useCallback((i: number) => (rows[i] < 0 ? STEP_ROW : ROW), [rows]);
  const getItemKey = useCallback((i: number) => rows[i], [rows]);
  const virtualizer = useVirtualizer({
    count: rows.length,
    getScrollElement: () => scroller.current,
    estimateSize,
    overscan: 16,
    getItemKey,
  });

  // The find box searches the rows shown: each row's line (step headers match nothing).
  const rowTexts = useMemo(() => Array.from(rows, (code) => (code < 0 ? HEADER_TEXT : lines[code])), [rows, lines]);
  const search = useLogSearch(rowTexts, rowTexts);
  const query = search.query.toLowerCase();
  const { currentMatch } = search;
  useEffect(() => {
    if (currentMatch) virtualizer.scrollToIndex(currentMatch.line, { align: 'center' });
    // Only a jump the user asked for moves the view.
  }, [search.jumps]);

  useEffect(() => {
    if (!p.follow || p.rows.length === 0) return;
    const row = rowOfEvent(p.rows, lines, p.cursorIndex);
    if (row >= 0) virtualizer.scrollToIndex(row, { align: 'auto' });
  }, [p.follow, p.cursorIndex, p.rows, lines, virtualizer]);

  useEffect(() => {
    if (p.tail && atBottom.current && p.rows.length > 0) virtualizer.scrollToIndex(p.rows.length - 1, { align: 'end' });
  }, [p.tail, p.rows, virtualizer]);

  // A hit's event: scrolled to and opened once it is among the rows (pages load in the background).
  const focused = useRef<number | null>(null);
  const focusIndex = p.focusSeq === undefined ? -1 : p.events.findIndex((e) => e.seq === p.focusSeq);
  useEffect(() => {
    if (focusIndex < 0 || focused.current === p.focusSeq) return;
    const row = rowOfEvent(p.rows, lines, focusIndex);
    if (row < 0 || eventOfRow(p.rows[row], lines) !== focusIndex) return;
    focused.current = p.focusSeq!;
    const code = p.rows[row];
    if (p.events[focusIndex].type !== 'command_output') setExpanded((old) => new Set(old).add(code));
    virtualizer.scrollToIndex(row, { align: 'center' });
  }, [focusIndex, p.rows, lines, virtualizer, p.focusSeq, p.events]);

  // Scrolling up leaves the end; reaching the bottom again rejoins it. (Rows added while a
  // scroll event is on its way make a follow scroll look short of the bottom: not a leave.)
  const onScroll = () => {
    const el = scroller.current;
    if (!el) return;
    if (el.scrollTop < lastScrollTop.current) atBottom.current = false;
    else if (el.scrollHeight - el.scrollTop - el.clientHeight <= TAIL_SLACK) atBottom.current = true;
    lastScrollTop.current = el.scrollTop;
  };

  const toggle = (i: number) => {
    setExpanded((old) => {
      const next = new Set(old);
      if (!next.delete(i)) next.add(i);
      return next;
    });
    virtualizer.measure(); // a collapsed row returns to its fixed height
  };
  const toggleWrap = () => {
    setWrap(!wrap);
    virtualizer.measure(); // line rows return to (or leave) their fixed height
  };

  return (
    <>
    <div className="event-list-toolbar">
      <SearchBar
        label="Search events"
        query={search.query}
        onQuery={(q) => {
          search.setQuery(q);
          p.onSearch(q);
        }}
        count={search.count}
        index={search.index}
        onNext={search.next}
        onPrevious={search.previous}
      />
      <button type="button" className="button button-small toggle" aria-pressed={wrap} onClick={toggleWrap}>
        Wrap lines
      </button>
    </div>
    <div className="event-list" ref={scroller} onScroll={onScroll} role="list" aria-label="Events" tabIndex={0} data-rows={p.rows.length}>
      <div style={{ height: virtualizer.getTotalSize(), position: 'relative' }}>
        {virtualizer.getVirtualItems().map((item) => {
          const code = p.rows[item.index];
          const style = { transform: `translateY(${item.start}px)` };
          if (code < 0) {
            const step = stepOf(p.events[-code - 1]);
            const collapsed = p.collapsedSteps.has(step);
            return (
              <div key={item.key} data-index={item.index} className="event-step" style={style} role="listitem">
                <button type="button" className="step-toggle" aria-expanded={!collapsed} onClick={() => p.onToggleStep(step)} data-step={step}>
                  {collapsed ? '▸' : '▾'} {step}
                </button>
              </div>
            );
          }
          const line = lines[code];
          const e = p.events[line.event];
          const time = offset(Date.parse(e.time) - p.start);
          const cursor = p.follow && line.event === p.cursorIndex;
          if (e.type === 'command_output') {
            const open = wrap || expanded.has(code);
            const text = lineTextBefore(p.events, line, p.cursorIndex + 1);
            return (
              <ReplayLineRow
                key={item.key}
                line={line}
                text={text}
                lineIndex={code}
                index={item.index}
                top={item.start}
                time={time}
                wrapped={wrap}
                expanded={expanded.has(code)}
                cursor={cursor}
                marks={marksOf(text, query, item.index, currentMatch)}
                measure={open ? virtualizer.measureElement : undefined}
                onToggle={toggle}
              />
            );
          }
          const call = e.type === 'tool_call' ? toolCallIdOf(e) : null;
          const nested = e.type !== 'tool_call' && toolCallIdOf(e) !== null;
          const open = expanded.has(code);
          const summary = eventSummary(e).split('\n')[0];
          const marks = marksOf(summary, query, item.index, currentMatch);
          return (
            <div
              key={item.key}
              ref={open ? virtualizer.measureElement : undefined}
              data-index={item.index}
              className={`event-row type-${e.type} level-${e.level}${nested ? ' nested' : ''}${cursor ? ' is-cursor' : ''}${marks?.current != null ? ' is-current' : ''}${e.seq === p.focusSeq ? ' is-focus' : ''}`}
              style={style}
              role="listitem"
              data-seq={e.seq}
              data-type={e.type}
              data-line={code}
            >
              <div className="event-line">
                {call ? (
                  <button type="button" className="call-toggle" aria-expanded={!p.collapsedCalls.has(call)} aria-label={p.collapsedCalls.has(call) ? 'Show tool output' : 'Hide tool output'} onClick={() => p.onToggleCall(call)}>
                    {p.collapsedCalls.has(call) ? '▸' : '▾'}
                  </button>
                ) : (
                  <span className="call-toggle-space" />
                )}
                <span className="event-time">{time}</span>
                <span className={`event-type t-${e.type}`}>{e.type.replace('_', ' ')}</span>
                <button type="button" className="event-summary" aria-expanded={open} onClick={() => toggle(code)}>
                  <AnsiText text={summary} marks={marks} />
                </button>
              </div>
              {open && (
                <div className="event-detail">
                  <EventView event={e} />
                </div>
              )}
            </div>
          );
        })}
      </div>
    </div>
    </>
  );
}
