import type { Trajectory } from '../../../shared/trajectory';
import type { Store } from '../store';

/**
 * What became of a run a crashed process had journaled (a workflow step's, an evaluation
 * trial's) before it could record the run's end: never created (`absent`), ended (`ended`:
 * adopt it), or cut short with its process (`interrupted`: still marked running or pending —
 * its owner is gone, since the work resumes only once its owner died and the run had the
 * same owner — or marked interrupted at start-up: either is marked failed with `message`).
 * The one adoption rule of every durable engine that starts runs.
 */
export type Adoption = { kind: 'absent' } | { kind: 'ended'; trajectory: Trajectory } | { kind: 'interrupted'; trajectory: Trajectory };

export function adoptRun(store: Pick<Store, 'getTrajectory' | 'updateTrajectory'>, id: string, message: string): Adoption {
  const t = store.getTrajectory(id);
  if (!t) return { kind: 'absent' };
  if (t.status === 'running' || t.status === 'pending' || (t.status === 'failed' && t.error === 'interrupted')) {
    store.updateTrajectory(id, { status: 'failed', error: message });
    return { kind: 'interrupted', trajectory: store.getTrajectory(id)! };
  }
  return { kind: 'ended', trajectory: t };
}
