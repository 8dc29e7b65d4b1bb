import type { Trajectory, TrajectoryEvent } from '../../../../shared/trajectory';
import type { RunOrder } from '../../runs/run-request';

type Listener = (trajectoryId: string, event: TrajectoryEvent) => void;

/** What the HTTP API needs of the run orchestrator: start a run (assembled from the order as at every front door) and hear its live events. */
export interface LocalRuns {
  start(order: RunOrder): Promise<{ id: string; done: Promise<Trajectory> }>;
  /** Every run's live events; returns the unsubscribe function. */
  onEvent(listener: Listener): () => void;
}

/**
 * Starts a run and follows its events from the very first one: events of other runs that
 * arrive while it starts are dropped, its own are replayed once its id is known.
 */
export async function startFollowing<H extends { id: string; done: Promise<unknown> }>(
  runs: Pick<LocalRuns, 'onEvent'> & { start(order: RunOrder): Promise<H> },
  order: RunOrder,
  onEvent: (event: TrajectoryEvent) => void,
): Promise<H> {
  let id: string | null = null;
  const early: [string, TrajectoryEvent][] = [];
  const off = runs.onEvent((tid, event) => {
    if (id === null) early.push([tid, event]);
    else if (tid === id) onEvent(event);
  });
  try {
    const handle = await runs.start(order);
    id = handle.id;
    for (const [tid, event] of early) if (tid === id) onEvent(event);
    void handle.done.finally(off);
    return handle;
  } catch (error) {
    off();
    throw error;
  }
}
