import type { Trajectory, TrajectoryStatus } from '../../../shared/trajectory';

/** At most one notice per trajectory per this many milliseconds while it keeps changing. */
export const NOTICE_INTERVAL_MS = 100;

const LIVE: ReadonlySet<TrajectoryStatus> = new Set(['pending', 'running']);

export interface TrajectoryNoticeSource {
  /** The whole trajectory a notice carries (null: gone). */
  read(id: string): Trajectory | null;
  /** Its status alone (a one-row read), to see a run end inside a quiet window. */
  status(id: string): TrajectoryStatus | null;
  send(trajectory: Trajectory): void;
  intervalMs?: number;
}

export interface TrajectoryNotices {
  /** A commit changed the trajectory's header; `headerRow`: its own row (status, usage…) among them. */
  changed(id: string, headerRow: boolean): void;
  /** Drops what is waiting; nothing is sent after. */
  close(): void;
}

/** A trajectory that was just announced: later changes wait for `timer` unless its run ends. */
interface Window {
  sentStatus: TrajectoryStatus;
  dirty: boolean;
  timer: NodeJS.Timeout;
}

/**
 * Header change notices, bounded per trajectory. The first change goes out on the next
 * event-loop turn, coalesced with the rest of that turn's commits (one commit often touches
 * several tables); then the trajectory is quiet for the interval, and if it changed meanwhile,
 * its state at the interval's end goes out (so the last state always does). A change of its
 * status to a final one is not held: it goes out on the next turn.
 */
export function trajectoryNotices(source: TrajectoryNoticeSource): TrajectoryNotices {
  const intervalMs = source.intervalMs ?? NOTICE_INTERVAL_MS;
  const windows = new Map<string, Window>();
  const nextTurn = new Set<string>();
  let closed = false;

  const send = (id: string) => {
    const trajectory = source.read(id);
    if (!trajectory) return;
    source.send(trajectory);
    const timer = setTimeout(() => {
      const window = windows.get(id);
      windows.delete(id);
      if (window?.dirty && !closed) send(id);
    }, intervalMs);
    timer.unref();
    windows.set(id, { sentStatus: trajectory.status, dirty: false, timer });
  };
  const flush = () => {
    if (closed) return;
    for (const id of nextTurn) send(id);
    nextTurn.clear();
  };
  const sendNextTurn = (id: string) => {
    if (nextTurn.size === 0) setImmediate(flush);
    nextTurn.add(id);
  };
  const ended = (id: string, window: Window) => {
    const status = source.status(id);
    return status !== null && status !== window.sentStatus && !LIVE.has(status);
  };

  return {
    changed(id, headerRow) {
      if (nextTurn.has(id)) return;
      const window = windows.get(id);
      if (!window) return sendNextTurn(id);
      if (headerRow && ended(id, window)) {
        clearTimeout(window.timer);
        windows.delete(id);
        return sendNextTurn(id);
      }
      window.dirty = true;
    },
    close() {
      closed = true;
      for (const window of windows.values()) clearTimeout(window.timer);
      windows.clear();
      nextTurn.clear();
    },
  };
}
