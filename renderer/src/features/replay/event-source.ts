import type { TrajectoryEvent } from '../../../../shared/trajectory';
import { apiClient } from '../../stores/connection';

/** A small first page paints the list at once; the rest comes in the largest pages the API allows (fewer round trips). */
const FIRST_PAGE = 500;
const PAGE_SIZE = 10_000;
/**
 * A live event can reach us before the events just before it are readable (the engine
 * stores events in batches, at most 50 ms apart): a gap is fetched again after this pause.
 */
const CATCH_UP_DELAY_MS = 100;
/** Fetches of a gap before the live events after it are shown anyway. */
const CATCH_UP_TRIES = 5;

/** A trajectory's events, loaded page by page in the background (the first page paints at once), then followed live. */
export interface EventSource {
  readonly events: TrajectoryEvent[];
  /** Event times in ms since the epoch, index-aligned with `events`. */
  times(): Float64Array;
  total: number;
  done: boolean;
  error: string | null;
  stop(): void;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Starts loading, and follows the run's live events (`run.event`) when `subscribe` is given:
 * live events arriving while pages load, or after a gap, wait in a small queue until the
 * stored events before them are loaded; each seq is kept once. `onChange` is called after
 * each page and each live event (the caller batches per frame).
 */
export function loadEvents(
  id: string,
  onChange: () => void,
  subscribe?: (listener: (event: TrajectoryEvent) => void) => () => void,
): EventSource {
  let stopped = false;
  let times = new Float64Array(0);
  /** Live events not yet appended, in seq order. */
  let queued: TrajectoryEvent[] = [];
  let pulling = false;
  const source: EventSource = {
    events: [],
    times: () => times,
    total: 0,
    done: false,
    error: null,
    stop: () => {
      stopped = true;
      unsubscribe?.();
    },
  };
  const lastSeq = () => source.events.at(-1)?.seq ?? 0;

  const append = (e: TrajectoryEvent) => {
    const n = source.events.length;
    if (n === times.length) {
      const next = new Float64Array(Math.max(1024, n * 2));
      next.set(times);
      times = next;
    }
    times[n] = Date.parse(e.time);
    source.events.push(e);
    source.total = Math.max(source.total, n + 1);
  };

  /** Appends the queued events that continue the loaded ones (all of them when `force`); true when some wait behind a gap. */
  const drain = (force: boolean) => {
    let i = 0;
    for (; i < queued.length; i++) {
      const e = queued[i];
      if (e.seq <= lastSeq()) continue;
      if (e.seq !== lastSeq() + 1 && !force) break;
      append(e);
    }
    queued = queued.slice(i);
    return queued.length > 0;
  };

  /** Loads the stored events after the last loaded one, page by page, until the queue continues them. */
  async function pull(delayFirst: boolean) {
    pulling = true;
    try {
      for (let tries = 0; ; tries++) {
        if (delayFirst || tries > 0) await sleep(CATCH_UP_DELAY_MS);
        for (;;) {
          if (stopped) return;
          const limit = source.events.length === 0 ? FIRST_PAGE : PAGE_SIZE;
          const page = await apiClient()['trajectory.events']({ id, afterSeq: lastSeq(), limit });
          if (stopped) return;
          for (const e of page.events) if (e.seq > lastSeq()) append(e);
          source.total = Math.max(page.total, source.events.length);
          if (page.events.length < limit || source.events.length >= page.total) break;
          onChange();
        }
        if (!drain(tries + 1 >= CATCH_UP_TRIES)) break;
      }
    } catch (err) {
      source.error = err instanceof Error ? err.message : String(err);
    } finally {
      pulling = false;
    }
    source.done = true;
    if (!stopped) onChange();
  }

  const onLive = (e: TrajectoryEvent) => {
    if (stopped || e.seq <= lastSeq()) return;
    if (pulling || queued.length > 0 || e.seq !== lastSeq() + 1) {
      queued.push(e);
      if (!pulling) void pull(true);
      return;
    }
    append(e);
    onChange();
  };

  // Subscribed before the first page is asked for, so no event falls between the two.
  const unsubscribe = subscribe?.(onLive);
  void pull(false);
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
