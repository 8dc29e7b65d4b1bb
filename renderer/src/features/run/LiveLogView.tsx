import { useVirtualizer } from '@tanstack/react-virtual';
import { useEffect, useRef } from 'react';
import type { LogLine } from '../../stores/live-runs';
import { AnsiText } from '../events/AnsiText';

const ROW_HEIGHT = 20;
/** How close to the bottom (px) still counts as "at the tail". */
const TAIL_SLACK = 24;
/** One stable function: a new one per render would make the virtualizer recompute every row. */
const rowHeight = () => ROW_HEIGHT;

/**
 * A run's log, virtualised (only visible rows are in the DOM), with ANSI colours. It follows
 * the tail while the user is at the bottom and stays put once they scroll up.
 */
export function LiveLogView({ lines, version }: { lines: LogLine[]; version: number }) {
  const scroller = useRef<HTMLDivElement>(null);
  const following = useRef(true);
  const virtualizer = useVirtualizer({
    count: lines.length,
    getScrollElement: () => scroller.current,
    estimateSize: rowHeight,
    overscan: 20,
  });

  useEffect(() => {
    if (following.current && lines.length > 0) virtualizer.scrollToIndex(lines.length - 1, { align: 'end' });
  }, [version, lines.length, virtualizer]);

  const onScroll = () => {
    const el = scroller.current;
    if (el) following.current = el.scrollHeight - el.scrollTop - el.clientHeight <= TAIL_SLACK;
  };

  if (lines.length === 0) return <p className="log-empty">Waiting for the first event…</p>;
  return (
    <div className="log" ref={scroller} onScroll={onScroll} role="log" aria-label="Run log" tabIndex={0} data-lines={lines.length}>
      <div style={{ height: virtualizer.getTotalSize(), position: 'relative' }}>
        {virtualizer.getVirtualItems().map((row) => {
          const line = lines[row.index];
          return (
            <div
              key={row.key}
              className={`log-line log-${line.type} level-${line.level}`}
              style={{ transform: `translateY(${row.start}px)`, height: ROW_HEIGHT }}
              data-seq={line.seq}
            >
              <span className="log-type">{line.type === 'command_output' ? '' : line.type.replace('_', ' ')}</span>
              <span className="log-text">
                <AnsiText text={line.text} />
              </span>
            </div>
          );
        })}
      </div>
    </div>
  );
}
