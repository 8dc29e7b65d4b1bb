import type { EvaluationStatus } from '../../../shared/evaluations';
import type { SuggestionSetState } from '../../../shared/evaluation-suggestions';
import type { StoreContext } from './context';
import { processOwnerToken } from './owner';

/** What another connection's commits may have changed since a moment: each kind's ids, to announce. */
export interface OtherWrites {
  /** Evaluations running now, or changed since. */
  evaluations: { id: string; status: EvaluationStatus }[];
  /** Suggestion sets being worked on now, or changed since. */
  suggestionSets: { id: string; set: string; state: SuggestionSetState }[];
}

export type OtherWriters = ReturnType<typeof otherWritersRepository>;

/**
 * What other processes writing to this file (a `jetty eval` in a terminal, another window)
 * changed of the evaluations and their suggestion sets, for the views to follow them live:
 * SQLite's `data_version` moves only when another connection commits, and then the running
 * and recently changed rows are read. Runs are left out: a run is followed where it runs.
 */
export function otherWritersRepository(ctx: StoreContext) {
  const { db } = ctx;
  const sql = {
    evaluations: db.prepare<{ owner: string; since: string }, { id: string; status: EvaluationStatus }>(
      `SELECT id, status FROM evaluations WHERE (status = 'running' OR updated_at >= @since) AND owner IS NOT @owner`,
    ),
    suggestionSets: db.prepare<{ owner: string; since: string }, { id: string; set: string; state: SuggestionSetState }>(
      `SELECT evaluation_id AS id, id AS "set", state FROM suggestion_sets WHERE (state IN ('analyzing', 'evaluating') OR updated_at >= @since) AND owner IS NOT @owner`,
    ),
  };
  // What this process owns, its own code announces.
  const owner = processOwnerToken();
  return {
    /** SQLite's count of other connections' commits to the file (it moves when one commits). */
    version: (): number => db.pragma('data_version', { simple: true }) as number,
    /** What may have changed since `since` (an ISO time), of what this process does not own: see OtherWrites. */
    since: (since: string): OtherWrites => ({
      evaluations: sql.evaluations.all({ owner, since }),
      suggestionSets: sql.suggestionSets.all({ owner, since }),
    }),
  };
}

/** How often `watchOtherWriters` looks at `data_version`. */
export const OTHER_WRITERS_INTERVAL_MS = 500;

/**
 * Polls `data_version` and, when another connection committed, hands `announce` what may
 * have changed since the look before (with a second's overlap for clocks and commits in
 * flight; repeats are for the listeners to coalesce). Returns a function that stops it.
 */
export function watchOtherWriters(writers: OtherWriters, announce: (writes: OtherWrites) => void, intervalMs = OTHER_WRITERS_INTERVAL_MS): () => void {
  let version = writers.version();
  let lookedAt = Date.now();
  const timer = setInterval(() => {
    const now = writers.version();
    if (now === version) return;
    version = now;
    const since = new Date(lookedAt - 1000).toISOString();
    lookedAt = Date.now();
    announce(writers.since(since));
  }, intervalMs);
  timer.unref();
  return () => clearInterval(timer);
}
