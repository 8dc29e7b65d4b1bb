import { useVirtualizer } from '@tanstack/react-virtual';
import { useCallback, useEffect, useRef, useState } from 'react';
import { stripAnsi } from '../events/ansi';
import { matchStarts } from '../events/line-search';
import type { LogLines } from '../events/log-lines';
import { SearchBar } from '../events/SearchBar';
import { LogLineRow } from './LogLineRow';
import { useFollowTail } from './use-follow-tail';
import { useLogSearch } from './use-log-search';

const ROW_HEIGHT = 20;
/** One stable function: a new one per render would make the virtualizer recompute every row. */
const rowHeight = () => ROW_HEIGHT;

/**
 * A run's log as lines (not as the chunks output arrived in), virtualised, with ANSI
 * colours; a find box that marks every match and jumps between them; lines wrap, or long
 * ones expand one by one; and a follow toggle that keeps the end in view until the user
 * scrolls up or turns it off.
 */
export function LiveLogView({ lines: log, version }: { lines: LogLines; version: number }) {
  const lines = log.lines;
  const scroller = useRef<HTMLDivElement>(null);
  const [wrap, setWrap] = useState(false);
  const [expanded, setExpanded] = useState<ReadonlySet<number>>(new Set());
  const virtualizer = useVirtualizer({ count: lines.length, getScrollElement: () => scroller.current, estimateSize: rowHeight, overscan: 30 });
  const { follow, setFollow, onScroll } = useFollowTail(scroller, virtualizer, `${version}:${lines.length}:${wrap}`);
  const search = useLogSearch(lines, version);
  const query = search.query.toLowerCase();

  const { currentMatch } = search;
  useEffect(() => {
    if (!currentMatch) return;
    setFollow(false);
    virtualizer.scrollToIndex(currentMatch.line, { align: 'center' });
    // Only a jump the user asked for moves the view, not matches found in new lines.
  }, [search.jumps]);

  const toggleLine = useCallback((index: number) => {
    setExpanded((old) => {
      const next = new Set(old);
      if (!next.delete(index)) next.add(index);
      return next;
    });
    virtualizer.measure(); // a collapsed line returns to its fixed height
  }, [virtualizer]);
  const toggleWrap = () => {
    setWrap(!wrap);
    virtualizer.measure(); // rows return to (or leave) their fixed height
  };

  return (
    <div className="log-view">
      <div className="log-toolbar">
        <SearchBar label="Find in log" query={search.query} onQuery={search.setQuery} count={search.count} index={search.index} onNext={search.next} onPrevious={search.previous} />
        <button type="button" className="button button-small toggle" aria-pressed={wrap} onClick={toggleWrap}>
          Wrap lines
        </button>
        <button type="button" className="button button-small toggle follow-toggle" aria-pressed={follow} onClick={() => setFollow(!follow)} title="Keep the newest line in view">
          {follow ? 'Following' : 'Follow'}
        </button>
      </div>
      {lines.length === 0 ? (
        <p className="log-empty">Waiting for the first event…</p>
      ) : (
        <div className="log" ref={scroller} onScroll={onScroll} role="log" aria-label="Run log" tabIndex={0} data-lines={lines.length} data-following={follow}>
          <div style={{ height: virtualizer.getTotalSize(), position: 'relative' }}>
            {virtualizer.getVirtualItems().map((row) => {
              const line = lines[row.index];
              const starts = query ? matchStarts(stripAnsi(line.text), query) : [];
              const open = wrap || expanded.has(row.index);
              return (
                <LogLineRow
                  key={row.key}
                  line={line}
                  row={row}
                  number={row.index + 1}
                  wrapped={wrap}
                  expanded={expanded.has(row.index)}
                  marks={starts.length ? { starts, length: query.length, current: currentMatch?.line === row.index ? currentMatch.start : null } : undefined}
                  measure={open ? virtualizer.measureElement : undefined}
                  onToggle={toggleLine}
                />
              );
            })}
          </div>
        </div>
      )}
    </div>
  );
}
