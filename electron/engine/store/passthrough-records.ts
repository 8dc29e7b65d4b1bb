import { isNoSpace } from '../base/disk-full';
import { type StoreContext, writeTransaction } from './context';
import type { TrajectoriesRepository } from './trajectories';

/** What became of a batch given to `importTrajectoriesOnce`. */
export interface ImportOnceOutcome {
  /** Ids stored now (ids already stored are skipped: storing the same batch twice is harmless). */
  ids: string[];
  /** Documents that could not be stored, by their index in the batch, with why. */
  failed: { index: number; error: Error }[];
  /** The disk (or the database's quota) is full: nothing after `ids` was stored; try again later. */
  diskFull: boolean;
}

const idOf = (doc: unknown): string | null => {
  const id = (doc as { id?: unknown } | null)?.id;
  return typeof id === 'string' ? id : null;
};

const asError = (error: unknown): Error => (error instanceof Error ? error : new Error(String(error)));

/**
 * Idempotent, isolated batch import for recorded passthrough calls: a document whose id is
 * already stored is skipped, so a journal replayed after a crash stores each call once. The
 * batch is one transaction; if it fails, each document is retried in its own, so one bad
 * call never costs the others their record. A full disk stops the batch (`diskFull`).
 */
export function passthroughRecords(ctx: StoreContext, deps: { trajectories: TrajectoriesRepository; importInTransaction(doc: unknown): string }) {
  const isNew = (doc: unknown): boolean => {
    const id = idOf(doc);
    return id === null || !deps.trajectories.exists(id);
  };
  const importNew = (docs: unknown[]): string[] => docs.filter(isNew).map(deps.importInTransaction);
  const all = writeTransaction(ctx.db, importNew);

  return function importTrajectoriesOnce(docs: unknown[]): ImportOnceOutcome {
    try {
      return { ids: all(docs), failed: [], diskFull: false };
    } catch (error) {
      if (isNoSpace(error)) return { ids: [], failed: [], diskFull: true };
    }
    const outcome: ImportOnceOutcome = { ids: [], failed: [], diskFull: false };
    for (const [index, doc] of docs.entries()) {
      try {
        outcome.ids.push(...all([doc]));
      } catch (error) {
        if (isNoSpace(error)) return { ...outcome, diskFull: true };
        outcome.failed.push({ index, error: asError(error) });
      }
    }
    return outcome;
  };
}

/**
 * Finds a recorded passthrough Responses call by the id of the response it answered (what a
 * client names in `previous_response_id`), newest first. Not indexed: the relay keeps recent
 * responses in memory and asks the store only for older ones (after a restart).
 */
export function passthroughResponseFinder(ctx: StoreContext) {
  const sql = ctx.db.prepare<[string], { inputs: string; outputs: string }>(`
    SELECT s.inputs, s.outputs FROM trajectories t
      JOIN steps s ON s.trajectory_id = t.id AND s.name = 'completion'
    WHERE t.collection = 'passthrough' AND json_extract(t.init_params, '$.api') = 'responses'
      AND json_extract(s.outputs, '$.response.id') = ?
    ORDER BY t.created_at DESC LIMIT 1`);
  return (responseId: string): { request: unknown; response: unknown } | null => {
    const row = sql.get(responseId);
    if (!row) return null;
    return { request: (JSON.parse(row.inputs) as { request?: unknown }).request, response: (JSON.parse(row.outputs) as { response?: unknown }).response };
  };
}
