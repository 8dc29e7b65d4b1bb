import type { EventLevel, EventType, TrajectoryEvent } from '../../../shared/trajectory';
import { upgradeEvent } from '../../../shared/trajectory-event-upgrade';
import { type StoreContext, writeTransaction } from './context';
import { StoreError } from './errors';
import type { SearchIndex } from './search-index';

/** A row of the events table, in column order, ready to insert. */
export type EventRow = [
  trajectoryId: string,
  seq: number,
  time: string,
  level: EventLevel,
  type: EventType,
  step: string | null,
  payload: string,
];

interface StoredRow extends Omit<TrajectoryEvent, 'type' | 'payload'> {
  type: string;
  payload: string;
}

/** Paging through committed events: those after `afterSeq` (default 0), at most `limit`. */
export interface EventPage {
  afterSeq?: number;
  /** Default 200, at most MAX_EVENT_PAGE. */
  limit?: number;
}

export const MAX_EVENT_PAGE = 10_000;
const DEFAULT_EVENT_PAGE = 200;

export type EventsRepository = ReturnType<typeof eventsRepository>;

/** Event rows: batched inserts (indexed for search as they are written) and paged reads in sequence order. */
export function eventsRepository(ctx: StoreContext, search: SearchIndex) {
  const sql = {
    insert: ctx.db.prepare<EventRow>(
      'INSERT INTO events (trajectory_id, seq, time, level, type, step, payload) VALUES (?, ?, ?, ?, ?, ?, ?)',
    ),
    page: ctx.db.prepare<[string, number, number], StoredRow>(
      'SELECT seq, time, level, type, step, payload FROM events WHERE trajectory_id = ? AND seq > ? ORDER BY seq LIMIT ?',
    ),
    count: ctx.db.prepare<[string], number>('SELECT count(*) FROM events WHERE trajectory_id = ?').pluck(),
    lastSeq: ctx.db.prepare<[string], number>('SELECT coalesce(max(seq), 0) FROM events WHERE trajectory_id = ?').pluck(),
    answeredBy: ctx.db
      .prepare<[string, string], number>("SELECT seq FROM events WHERE trajectory_id = ? AND type = 'model_call' AND json_extract(payload, '$.completion_ref') = ? ORDER BY seq LIMIT 1")
      .pluck(),
  };

  // Rows of format 1 (written before events were typed) are read as format 2.
  const fromStored = (row: StoredRow): TrajectoryEvent => upgradeEvent({ ...row, payload: JSON.parse(row.payload) as Record<string, unknown> });
  const insertRows = (rows: readonly EventRow[]): void => {
    for (const row of rows) sql.insert.run(...row);
    search.indexEvents(rows);
  };

  return {
    /** Inserts rows in one transaction: all are committed or none. */
    insertBatch: writeTransaction(ctx.db, insertRows) as (rows: readonly EventRow[]) => void,
    /** Inserts rows inside the caller's transaction (no savepoint of its own). */
    insertRows,
    page(trajectoryId: string, { afterSeq = 0, limit = DEFAULT_EVENT_PAGE }: EventPage = {}): TrajectoryEvent[] {
      if (!Number.isInteger(afterSeq) || !Number.isInteger(limit) || limit < 1 || limit > MAX_EVENT_PAGE) {
        throw new StoreError(
          'invalid_input',
          `Invalid event page: afterSeq must be an integer and limit an integer from 1 to ${MAX_EVENT_PAGE}.`,
        );
      }
      return sql.page.all(trajectoryId, afterSeq, limit).map(fromStored);
    },
    /** Every committed event of a trajectory, in order (for export). */
    all(trajectoryId: string): TrajectoryEvent[] {
      return sql.page.all(trajectoryId, Number.MIN_SAFE_INTEGER, -1).map(fromStored);
    },
    count: (trajectoryId: string): number => sql.count.get(trajectoryId) ?? 0,
    lastSeq: (trajectoryId: string): number => sql.lastSeq.get(trajectoryId) ?? 0,
    /** The seq of the first model call whose completion is the stored message `messageRef`, or null (a prompt's message, or no such call). */
    modelCallAnswering: (trajectoryId: string, messageRef: string): number | null => sql.answeredBy.get(trajectoryId, messageRef) ?? null,
  };
}
