import { useVirtualizer } from '@tanstack/react-virtual';
import { useCallback, useEffect, useRef, useState } from 'react';
import type { TrajectoryEvent } from '../../../../shared/trajectory';
import { AnsiText } from '../events/AnsiText';
import { eventSummary, toolCallIdOf } from '../../../../shared/event-text';
import { rowOfEvent, stepOf } from './rows';
import { EventView } from './views/EventView';

const ROW = 24;
const STEP_ROW = 26;

interface EventListProps {
  events: TrajectoryEvent[];
  rows: Int32Array;
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
}

/** How close to the bottom (px) still counts as "at the end". */
const TAIL_SLACK = ROW;

const offset = (ms: number) => `+${(ms / 1000).toFixed(3)}s`;

/** The replay's events grouped by step, virtualised; rows expand to their full content. */
export function EventList(p: EventListProps) {
  const scroller = useRef<HTMLDivElement>(null);
  const [expanded, setExpanded] = useState<ReadonlySet<number>>(new Set());
  const atBottom = useRef(true);
  const lastScrollTop = useRef(0);
  // Rows have fixed heights (as the CSS sets them); only expanded rows are measured, so
  // scrolling through 100,000 rows mounts rows without a ResizeObserver round per row.
  // Stable callbacks: the virtualizer recomputes every row's offset when they change.
  const { rows } = p;
  const estimateSize = useCallback((i: number) => (rows[i] < 0 ? STEP_ROW : ROW), [rows]);
  const getItemKey = useCallback((i: number) => rows[i], [rows]);
  const virtualizer = useVirtualizer({
    count: rows.length,
    getScrollElement: () => scroller.current,
    estimateSize,
    overscan: 16,
    getItemKey,
  });

  useEffect(() => {
    if (!p.follow || p.rows.length === 0) return;
    const row = rowOfEvent(p.rows, p.cursorIndex);
    if (row >= 0) virtualizer.scrollToIndex(row, { align: 'auto' });
  }, [p.follow, p.cursorIndex, p.rows, virtualizer]);

  useEffect(() => {
    if (p.tail && atBottom.current && p.rows.length > 0) virtualizer.scrollToIndex(p.rows.length - 1, { align: 'end' });
  }, [p.tail, p.rows, virtualizer]);

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

  return (
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
          const e = p.events[code];
          const call = e.type === 'tool_call' ? toolCallIdOf(e) : null;
          const nested = e.type !== 'tool_call' && toolCallIdOf(e) !== null;
          const open = expanded.has(code);
          return (
            <div
              key={item.key}
              ref={open ? virtualizer.measureElement : undefined}
              data-index={item.index}
              className={`event-row type-${e.type} level-${e.level}${nested ? ' nested' : ''}${p.follow && code === p.cursorIndex ? ' is-cursor' : ''}`}
              style={style}
              role="listitem"
              data-seq={e.seq}
              data-type={e.type}
            >
              <div className="event-line">
                {call ? (
                  <button type="button" className="call-toggle" aria-expanded={!p.collapsedCalls.has(call)} aria-label={p.collapsedCalls.has(call) ? 'Show tool output' : 'Hide tool output'} onClick={() => p.onToggleCall(call)}>
                    {p.collapsedCalls.has(call) ? '▸' : '▾'}
                  </button>
                ) : (
                  <span className="call-toggle-space" />
                )}
                <span className="event-time">{offset(Date.parse(e.time) - p.start)}</span>
                <span className={`event-type t-${e.type}`}>{e.type.replace('_', ' ')}</span>
                <button type="button" className="event-summary" aria-expanded={open} onClick={() => toggle(code)}>
                  <AnsiText text={eventSummary(e).split('\n')[0]} />
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
  );
}
