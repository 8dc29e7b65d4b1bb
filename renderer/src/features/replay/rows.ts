import type { EventType, TrajectoryEvent } from '../../../../shared/trajectory';
import { toolCallIdOf } from '../../../../shared/event-text';
import { stripAnsi } from '../events/ansi';
import type { LogLine } from '../events/log-lines';

export interface RowOptions {
  /** Only events before this index are shown (the replay cursor). */
  upTo: number;
  /** Event types shown; null: all. */
  types: Set<EventType> | null;
  /** Case-insensitive text the line or step must contain; '' : no search. */
  search: string;
  /** Steps folded to their header. */
  collapsedSteps: Set<string>;
  /** Tool calls whose outputs and result are folded under the call. */
  collapsedCalls: Set<string>;
}

/** The step an event belongs to, as a group name. */
export const stepOf = (e: TrajectoryEvent) => e.step ?? 'run';

/** The event a row shows (a line row: the event its line starts in). */
export const eventOfRow = (code: number, lines: readonly LogLine[]) => (code >= 0 ? lines[code].event : -code - 1);

/**
 * The rows of the event list as one compact array, built from the log's lines (`LogLines`
 * over the events: every event is one line, except command output, which is its lines
 * across chunks): `i >= 0` is line i, `-(i + 1)` is the header of the step group starting
 * at event i. Nothing per row is copied, so 100,000 lines cost 400 KB of rows, rebuilt in
 * a few ms when filters or the cursor change.
 */
export function buildRows(events: readonly TrajectoryEvent[], lines: readonly LogLine[], options: RowOptions): Int32Array {
  const out = new Int32Array(lines.length * 2);
  const needle = options.search.trim().toLowerCase();
  let n = 0;
  let currentStep: string | null = null;
  for (let l = 0; l < lines.length && lines[l].event < options.upTo; l++) {
    const line = lines[l];
    const e = events[line.event];
    if (options.types && !options.types.has(e.type)) continue;
    const step = stepOf(e);
    if (needle && !stripAnsi(line.text).toLowerCase().includes(needle) && !step.toLowerCase().includes(needle)) continue;
    if (step !== currentStep) {
      out[n++] = -(line.event + 1);
      currentStep = step;
    }
    if (options.collapsedSteps.has(step)) continue;
    if (e.type !== 'tool_call') {
      const call = toolCallIdOf(e);
      if (call && options.collapsedCalls.has(call)) continue;
    }
    out[n++] = l;
  }
  return out.subarray(0, n);
}

/** The row showing event `index` (or its last line), or the last row before it (for following the cursor). */
export function rowOfEvent(rows: Int32Array, lines: readonly LogLine[], index: number): number {
  let lo = 0;
  let hi = rows.length - 1;
  let best = -1;
  while (lo <= hi) {
    const mid = (lo + hi) >>> 1;
    if (eventOfRow(rows[mid], lines) <= index) {
      best = mid;
      lo = mid + 1;
    } else hi = mid - 1;
  }
  return best;
}
