/** A clock tests move by hand (routines' scheduler): `now` is set, due timers run when it moves. */
import type { Clock } from '../../electron/engine/routines/service';

export interface ManualClock extends Clock {
  /** Moves the time to `iso` and runs the timers due by then (in their order). */
  set(iso: string): void;
  /** Timers waiting, by when they are due. */
  pending(): number[];
}

export function manualClock(startIso: string): ManualClock {
  let now = Date.parse(startIso);
  let timers: { at: number; fn: () => void }[] = [];
  return {
    now: () => now,
    setTimer(ms, fn) {
      const timer = { at: now + ms, fn };
      timers.push(timer);
      return () => (timers = timers.filter((t) => t !== timer));
    },
    set(iso) {
      now = Date.parse(iso);
      const due = timers.filter((t) => t.at <= now).sort((a, b) => a.at - b.at);
      timers = timers.filter((t) => t.at > now);
      for (const t of due) t.fn();
    },
    pending: () => timers.map((t) => t.at).sort((a, b) => a - b),
  };
}
