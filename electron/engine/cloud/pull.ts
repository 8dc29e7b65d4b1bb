import { LabelSchema } from '../../../shared/trajectory';
import { mapPool } from './pool';
import { importNew, mergeLabels, refreshPulled, type SyncDeps } from './pulled-sync';
import { isFinished, remoteIdOf } from './remote-trajectory';

/** Bounds of one pull: pages of 100, at most this many trajectories, this many requests at a time. */
export const PULL_PAGE_SIZE = 100;
export const MAX_PULL_TRAJECTORIES = 100_000;
const IMPORT_BATCH = 100;

export interface PullOptions {
  collection: string;
  task: string;
  /** Only trajectories created at or after this time (ISO 8601). */
  since?: string;
  concurrency?: number;
  limit?: number;
  /** Told after each page: how many listed so far, of how many. */
  onProgress?(done: number, total: number): void;
}

export interface PullResult {
  /** Trajectories stored for the first time. */
  added: string[];
  /** Pulled before, still running then: brought up to date. */
  refreshed: string[];
  /** Pulled before and finished: only their labels were compared. */
  unchanged: number;
  labelsAdded: number;
}

/**
 * Pulls a remote task's trajectories into the local store, incrementally and
 * idempotently: new ones are fetched whole (events, steps, evaluation, labels) and
 * imported with their origin; ones pulled while running are refreshed; finished ones only
 * have the remote's labels merged. Pulling twice stores nothing twice.
 */
export async function pullTask(deps: SyncDeps, options: PullOptions): Promise<PullResult> {
  const { collection, task } = options;
  const base = deps.api.baseUrl;
  const since = options.since ? Date.parse(options.since) : null;
  if (options.since && Number.isNaN(since)) throw new Error(`--since: not a date: ${options.since}`);
  const limit = Math.min(options.limit ?? MAX_PULL_TRAJECTORIES, MAX_PULL_TRAJECTORIES);
  const concurrency = options.concurrency ?? 8;
  const known = deps.store.origins().ofTask(base, collection, task);
  const result: PullResult = { added: [], refreshed: [], unchanged: 0, labelsAdded: 0 };
  const wanted: Record<string, unknown>[] = [];

  let listed = 0;
  for (let page = 1; listed < limit && page <= Math.ceil(limit / PULL_PAGE_SIZE); page++) {
    const { trajectories, has_more, total } = await deps.api.trajectories(collection, task, page, PULL_PAGE_SIZE);
    listed += trajectories.length;
    options.onProgress?.(listed, total);
    for (const t of trajectories) {
      const created = typeof t.created_at === 'string' ? Date.parse(t.created_at) : NaN;
      if (since !== null && !(created >= since)) continue;
      const origin = known.get(remoteIdOf(t));
      if (origin && isFinished(origin.remote_status)) {
        result.unchanged++;
        const labels = (Array.isArray(t.labels) ? t.labels : []).flatMap((l) => (LabelSchema.safeParse(l).success ? [l as never] : []));
        result.labelsAdded += mergeLabels(deps.store, origin.trajectory_id, labels);
      } else wanted.push(t);
    }
    if (!has_more || trajectories.length === 0) break;
  }

  const details = await mapPool(wanted, concurrency, (t) => deps.api.trajectory(collection, task, remoteIdOf(t)));
  const fresh = details.filter((d) => !known.has(remoteIdOf(d)));
  for (let i = 0; i < fresh.length; i += IMPORT_BATCH) {
    result.added.push(...(await importNew(deps, base, collection, task, fresh.slice(i, i + IMPORT_BATCH))));
  }
  for (const d of details) {
    const origin = known.get(remoteIdOf(d));
    if (!origin) continue;
    await refreshPulled(deps, origin, d);
    result.refreshed.push(origin.trajectory_id);
  }
  return result;
}
