import type { TrajectoryEvent } from '../../../../shared/trajectory';
import { apiClient } from '../../stores/connection';

/** A small first page paints the list at once; the rest comes in the largest pages the API allows (fewer round trips). */
const FIRST_PAGE = 500;
const PAGE_SIZE = 10_000;

/** A trajectory's events, loaded page by page in the background (the first page paints at once). */
export interface EventSource {
  readonly events: TrajectoryEvent[];
  /** Event times in ms since the epoch, index-aligned with `events`. */
  times(): Float64Array;
  total: number;
  done: boolean;
  error: string | null;
  stop(): void;
}

/** Starts loading; `onPage` is called after each page arrives. */
export function loadEvents(id: string, onPage: () => void): EventSource {
  let stopped = false;
  let times = new Float64Array(0);
  const source: EventSource = {
    events: [],
    times: () => times,
    total: 0,
    done: false,
    error: null,
    stop: () => {
      stopped = true;
    },
  };

  const grow = (needed: number) => {
    if (needed <= times.length) return;
    const next = new Float64Array(Math.max(needed, times.length * 2, 1024));
    next.set(times);
    times = next;
  };

  void (async () => {
    let afterSeq = 0;
    try {
      for (;;) {
        const limit = source.events.length === 0 ? FIRST_PAGE : PAGE_SIZE;
        const page = await apiClient()['trajectory.events']({ id, afterSeq, limit });
        if (stopped) return;
        source.total = page.total;
        grow(source.events.length + page.events.length);
        for (const e of page.events) {
          times[source.events.length] = Date.parse(e.time);
          source.events.push(e);
        }
        afterSeq = page.events.at(-1)?.seq ?? afterSeq;
        source.done = page.events.length < limit || source.events.length >= page.total;
        onPage();
        if (source.done) return;
      }
    } catch (err) {
      source.error = err instanceof Error ? err.message : String(err);
      source.done = true;
      if (!stopped) onPage();
    }
  })();
  return source;
}

/** The number of events at or before `time` (times are non-decreasing in seq order; ties stay together). */
export function countUpTo(times: Float64Array, count: number, time: number): number {
  let lo = 0;
  let hi = count;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (times[mid] <= time) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
