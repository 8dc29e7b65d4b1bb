import type { DraftUploads } from './draft-uploads';

/** How long a draft (an upload no run's record names) is kept after it was made or last taken by a run. */
export const DRAFT_MAX_AGE_MS = 24 * 60 * 60 * 1000;
/** The most drafts one sweep removes; the rest wait for the next sweep. */
export const MAX_REMOVALS_PER_SWEEP = 500;

/** Ids of up to `limit` uploads last used before `cutoff` (ms): the candidates of a sweep. */
export async function staleUploads(uploads: DraftUploads, cutoff: number, limit = MAX_REMOVALS_PER_SWEEP): Promise<string[]> {
  const ids: string[] = [];
  for await (const folder of uploads.folders()) {
    if (folder.usedAt > cutoff) continue;
    ids.push(folder.id);
    if (ids.length >= limit) break;
  }
  return ids;
}

/**
 * Removes those of `candidates` that are drafts (no run's record names them, read now, after
 * they were listed) and that no run has taken since `cutoff`. Resolves the ids removed.
 */
export async function removeStaleDrafts(uploads: DraftUploads, candidates: readonly string[], cutoff: number): Promise<string[]> {
  if (candidates.length === 0) return [];
  const referenced = await uploads.referenced();
  const removed: string[] = [];
  for (const id of candidates) {
    if (!referenced.has(id) && (await uploads.removeDraft(id, cutoff))) removed.push(id);
  }
  return removed;
}

/** One sweep: drafts older than `maxAgeMs` at `now` are removed (at most MAX_REMOVALS_PER_SWEEP). */
export async function sweepDrafts(uploads: DraftUploads, now = Date.now(), maxAgeMs = DRAFT_MAX_AGE_MS): Promise<string[]> {
  const cutoff = now - maxAgeMs;
  return removeStaleDrafts(uploads, await staleUploads(uploads, cutoff), cutoff);
}

/**
 * Sweeps old drafts now (in the background: start-up does not wait) and once a day while the
 * engine runs (an unref'd timer, so it never keeps the process alive). `close` stops the timer
 * and waits for a sweep under way.
 */
export function expireDrafts(uploads: DraftUploads, intervalMs = DRAFT_MAX_AGE_MS) {
  let running: Promise<unknown> = Promise.resolve();
  const sweep = () => {
    running = running.then(() => sweepDrafts(uploads)).catch((error: unknown) => console.error('Removing old draft uploads failed:', error));
  };
  sweep();
  const timer = setInterval(sweep, intervalMs);
  timer.unref();
  return {
    async close(): Promise<void> {
      clearInterval(timer);
      await running;
    },
  };
}
