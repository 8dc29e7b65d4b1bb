import type { TrajectoryStatus } from '../../../shared/trajectory';

const FINISHED: ReadonlySet<TrajectoryStatus> = new Set(['completed', 'failed', 'cancelled']);

interface Timed {
  status: TrajectoryStatus;
  started_at?: string | null;
  ended_at?: string | null;
}

/**
 * Fills in times a status change implies, keeping any already set: entering `running`
 * sets `started_at`, entering completed/failed/cancelled sets `ended_at`. Shared by
 * trajectories and steps.
 */
export function stampStatusTimes<T extends Timed>(next: T, now: string): T {
  const stamped = { ...next };
  if (next.status === 'running' && !next.started_at) stamped.started_at = now;
  if (FINISHED.has(next.status) && !next.ended_at) stamped.ended_at = now;
  return stamped;
}
