import { useMemo } from 'react';
import type { TrajectoryEvent } from '../../../../shared/trajectory';
import { LogLines } from '../events/log-lines';
import { buildRows, rowOfEvent, type RowOptions } from './rows';

/**
 * The replay's lines (command output split at newlines across chunks, as in the live log),
 * grown as events load, and the list's rows up to the cursor: rows are built for every
 * loaded event, then cut at the last one the cursor shows.
 */
export function useReplayRows(events: readonly TrajectoryEvent[] | null, loaded: number, shown: number, options: Omit<RowOptions, 'upTo'>) {
  // One log per event array (a new trajectory starts a new one); loaded events are appended in order.
  const log = useMemo(() => new LogLines(), [events]);
  if (events) for (let i = log.eventCount; i < loaded; i++) log.append(events[i]);
  const lineCount = log.lines.length;
  const { types, search, collapsedSteps, collapsedCalls } = options;
  const allRows = useMemo(
    () => (events ? buildRows(events, log.lines, { upTo: loaded, types, search, collapsedSteps, collapsedCalls }) : new Int32Array(0)),
    // Lines grow in place: their count (and the loaded count, for a chunk that only continued a line) marks a change.
    [events, log, loaded, lineCount, types, search, collapsedSteps, collapsedCalls],
  );
  const cut = shown >= loaded ? allRows.length : rowOfEvent(allRows, log.lines, shown - 1) + 1;
  const rows = useMemo(() => (cut === allRows.length ? allRows : allRows.subarray(0, cut)), [allRows, cut]);
  return { lines: log.lines, rows };
}
