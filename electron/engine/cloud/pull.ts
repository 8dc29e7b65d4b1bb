import { setMaxListeners } from 'node:events';
import { LabelSchema, type Label } from '../../../shared/trajectory';
import { CLOUD_LIMITS } from './limits';
import { importBatcher, mergeLabels, needsSync, sweepStaging, syncTrajectory, type SyncDeps } from './pulled-sync';
import { RemoteError } from './remote-error';
import { remoteIdOf } from './remote-trajectory';

export interface PullOptions {
  collection: string;
  task: string;
  /** Only trajectories created at or after this time (ISO 8601). */
  since?: string;
  concurrency?: number;
  limit?: number;
  /** The whole pull's deadline (default CLOUD_LIMITS.pullDeadlineMs). */
  deadlineMs?: number;
  /** Told after each page: how many listed so far, of how many. */
  onProgress?(done: number, total: number): void;
}

export interface PullResult {
  /** Trajectories stored for the first time. */
  added: string[];
  /** Pulled before, not finished (or not completely pulled) then: brought up to date. */
  refreshed: string[];
  /** Pulled before and finished: only their labels were compared. */
  unchanged: number;
  labelsAdded: number;
  /** Trajectories the remote sent in a shape that cannot be stored as is (not stored; pulling again tries again). */
  failed: { remote_id: string; error: string }[];
}

/**
 * New short trajectories stored per transaction: a commit costs about as much as storing
 * a short trajectory, so 100 to one (as before the pipeline) keeps commits negligible, and
 * storing a batch takes tens of milliseconds, far below the event loop's bound.
 */
const IMPORT_BATCH = 100;

/** List pages asked for at once, at most. */
const LIST_AHEAD = 4;

/** Failures that stop the whole pull (the remote or the link is gone, the token refused, the deadline passed); any other stops one trajectory. */
const stopsThePull = (error: unknown): boolean =>
  error instanceof RemoteError && (error.kind === 'offline' || error.kind === 'unauthorized' || error.kind === 'signed_out' || error.kind === 'forbidden');

/**
 * Pulls a remote task's trajectories into the local store, incrementally and
 * idempotently, page by page: each list page's new and unfinished trajectories are brought
 * in (`syncTrajectory`: events paged, artifacts checked, each one complete or resumable)
 * before the next page is asked for; finished ones pulled before only have the remote's
 * labels merged. Listing stops at the last page, at `limit`, or at a page that brings no
 * trajectory not listed already (a remote repeating itself). Everything runs under one
 * deadline; what was stored before it stays, and pulling again resumes.
 */
export async function pullTask(deps: SyncDeps, options: PullOptions): Promise<PullResult> {
  const { collection, task } = options;
  const limits = { ...CLOUD_LIMITS, ...deps.limits };
  const since = options.since ? Date.parse(options.since) : null;
  if (options.since && Number.isNaN(since)) throw new Error(`--since: not a date: ${options.since}`);
  const limit = Math.min(options.limit ?? limits.maxTrajectories, limits.maxTrajectories);
  const concurrency = options.concurrency ?? limits.pullConcurrency;
  const deadlineMs = options.deadlineMs ?? limits.pullDeadlineMs;
  // One signal stops every request: the deadline, or the first failure that stops the pull.
  const stop = new AbortController();
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    stop.abort(new RemoteError('offline', 'the pull reached its deadline'));
  }, deadlineMs);
  const signal = stop.signal;
  // Each request in flight listens on it (the HTTP client's and the answer's timer): up to two per worker and per list page asked.
  setMaxListeners(2 * (concurrency + LIST_AHEAD) + 4, signal);
  const deadline = () => new RemoteError('offline', `the pull of ${collection}/${task} stopped after its deadline of ${Math.round(deadlineMs / 1000)} s; what was stored stays: pull again to go on`);
  await sweepStaging(deps.artifactsRoot);
  const known = deps.store.origins().ofTask(deps.api.baseUrl, collection, task);
  const result: PullResult = { added: [], refreshed: [], unchanged: 0, labelsAdded: 0, failed: [] };
  const seen = new Set<string>();
  const batch = importBatcher(deps.store, IMPORT_BATCH);
  const failed = (remoteId: string, error: unknown) => result.failed.push({ remote_id: remoteId, error: (error as Error).message });
  /** Trajectories fetched whose batch is not stored yet: each lands in `added`, or in `failed` when the store refuses it. */
  const batched: Promise<void>[] = [];
  // The list is read ahead of the fetches (at most two pages ahead), and the fetches never
  // wait for a page boundary: `queue` holds the ids listed and not yet taken.
  const queue: string[] = [];
  let listed = false;
  let wakeWorkers: (() => void)[] = [];
  let wakeLister: (() => void) | null = null;
  const wake = () => wakeWorkers.splice(0).forEach((w) => w());
  let failure: unknown = null;
  const fail = (error: unknown) => {
    failure ??= timedOut ? deadline() : error;
    stop.abort(failure);
    wakeLister?.();
    wake();
  };

  // Up to LIST_AHEAD list pages are asked for at once while the queue is short (listing
  // finished trajectories costs nothing else, so a second pull is not a chain of round trips).
  const pages = new Map<number, ReturnType<typeof deps.api.trajectories>>();
  const ask = (page: number) => {
    if (!pages.has(page)) {
      const answer = deps.api.trajectories(collection, task, page, limits.listPageSize, signal);
      answer.catch(() => undefined);
      pages.set(page, answer);
    }
    return pages.get(page)!;
  };
  const lister = async () => {
    try {
      for (let page = 1; seen.size < limit && !failure; page++) {
        const answer = await ask(page);
        pages.delete(page);
        options.onProgress?.(seen.size + answer.trajectories.length, answer.total);
        let fresh = 0;
        for (const t of answer.trajectories) {
          const remoteId = remoteIdOf(t);
          if (!remoteId || seen.has(remoteId) || seen.size >= limit) continue;
          seen.add(remoteId);
          fresh++;
          const created = typeof t.created_at === 'string' ? Date.parse(t.created_at) : NaN;
          if (since !== null && !(created >= since)) continue;
          const origin = known.get(remoteId);
          if (needsSync(origin)) queue.push(remoteId);
          else {
            result.unchanged++;
            const labels = (Array.isArray(t.labels) ? t.labels : []).flatMap((l): Label[] => (LabelSchema.safeParse(l).success ? [l as Label] : []));
            result.labelsAdded += mergeLabels(deps.store, origin!.trajectory_id, labels);
          }
        }
        wake();
        // A page that brings nothing new ends the list (a remote repeating itself).
        if (!answer.has_more || fresh === 0) break;
        while (queue.length > 2 * limits.listPageSize && !failure) await new Promise<void>((resolve) => (wakeLister = resolve));
        const lastPage = Math.ceil(Math.min(limit, answer.total) / limits.listPageSize);
        if (queue.length <= limits.listPageSize) for (let next = page + 1; next <= Math.min(page + LIST_AHEAD, lastPage); next++) ask(next);
      }
    } catch (error) {
      fail(error);
    } finally {
      listed = true;
      wake();
    }
  };

  const worker = async () => {
    while (!failure) {
      const remoteId = queue.shift();
      if (remoteId === undefined) {
        if (listed) return;
        await new Promise<void>((resolve) => wakeWorkers.push(resolve));
        continue;
      }
      if (queue.length <= limits.listPageSize) wakeLister?.();
      try {
        const { stored, added } = await syncTrajectory(deps, { collection, task, remoteId }, { signal, batch, origin: known.get(remoteId) ?? null });
        batched.push(stored.then((id) => void (added ? result.added : result.refreshed).push(id), (error: unknown) => void failed(remoteId, error)));
      } catch (error) {
        if (signal.aborted || stopsThePull(error)) fail(error);
        else failed(remoteId, error);
      }
    }
  };

  try {
    await Promise.all([lister(), ...Array.from({ length: concurrency }, worker)]);
  } finally {
    clearTimeout(timer);
    wakeWorkers = [];
    batch.flush();
    await Promise.all(batched);
  }
  if (failure) throw failure;
  return result;
}
