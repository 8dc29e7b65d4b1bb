import { nowIso, type StoreContext } from './context';

/** Where a pulled trajectory came from: a remote Jetty, its collection, task and id there. */
export interface RemoteRef {
  base_url: string;
  collection: string;
  task: string;
  remote_id: string;
}

export interface TrajectoryOrigin extends RemoteRef {
  trajectory_id: string;
  /** The remote status when last pulled; a finished one is not fetched again. */
  remote_status: string;
  /** The last remote event sequence number stored locally. */
  last_event_seq: number;
  pulled_at: string;
}

/** The origins of pulled trajectories (migration 5): one per local trajectory, one per remote one. */
export function originsRepository(ctx: StoreContext) {
  const sql = {
    put: ctx.db.prepare(`
      INSERT INTO trajectory_origins (trajectory_id, base_url, collection, task, remote_id, remote_status, last_event_seq, pulled_at)
      VALUES (@trajectory_id, @base_url, @collection, @task, @remote_id, @remote_status, @last_event_seq, @pulled_at)
      ON CONFLICT (trajectory_id) DO UPDATE SET remote_status = excluded.remote_status,
        last_event_seq = excluded.last_event_seq, pulled_at = excluded.pulled_at`),
    ofTrajectory: ctx.db.prepare<[string], TrajectoryOrigin>('SELECT * FROM trajectory_origins WHERE trajectory_id = ?'),
    ofRemote: ctx.db.prepare<[string, string, string, string], TrajectoryOrigin>(
      'SELECT * FROM trajectory_origins WHERE base_url = ? AND collection = ? AND task = ? AND remote_id = ?',
    ),
    ofTrajectories: ctx.db.prepare<[string], TrajectoryOrigin>('SELECT * FROM trajectory_origins WHERE trajectory_id IN (SELECT value FROM json_each(?))'),
    ofTask: ctx.db.prepare<[string, string, string], TrajectoryOrigin>(
      'SELECT * FROM trajectory_origins WHERE base_url = ? AND collection = ? AND task = ?',
    ),
  };
  return {
    /** Records (or refreshes) the origin of a local trajectory. */
    put: (origin: Omit<TrajectoryOrigin, 'pulled_at'>): void => void sql.put.run({ ...origin, pulled_at: nowIso() }),
    ofTrajectory: (id: string): TrajectoryOrigin | null => sql.ofTrajectory.get(id) ?? null,
    /** The origins of those of `ids` that have one. */
    ofTrajectories: (ids: readonly string[]): TrajectoryOrigin[] => (ids.length === 0 ? [] : sql.ofTrajectories.all(JSON.stringify(ids))),
    ofRemote: (ref: RemoteRef): TrajectoryOrigin | null => sql.ofRemote.get(ref.base_url, ref.collection, ref.task, ref.remote_id) ?? null,
    /** Every pulled trajectory of one remote task, keyed by remote id. */
    ofTask(baseUrl: string, collection: string, task: string): Map<string, TrajectoryOrigin> {
      return new Map(sql.ofTask.all(baseUrl, collection, task).map((o) => [o.remote_id, o]));
    },
  };
}
export type Origins = ReturnType<typeof originsRepository>;
