import { nowIso, type StoreContext, writeTransaction } from './context';
import { StoreError } from './errors';

/** A routine as stored (migration 13): cadence and overrides as values, secret parameters by name only. */
export interface RoutineRecord {
  id: number;
  collection: string;
  task: string;
  name: string;
  cadence: Record<string, unknown>;
  init_params_overrides: Record<string, unknown>;
  secret_params: string[];
  paused: boolean;
  webhook_url: string | null;
  /** Whether a webhook signing secret is kept (in the vault). */
  webhook_secret: boolean;
  /** Scheduled slots after this time are due. */
  schedule_from: string;
  created_at: string;
  updated_at: string;
}

export type NewRoutine = Omit<RoutineRecord, 'id' | 'created_at' | 'updated_at'>;
export type RoutinePatch = Partial<Omit<NewRoutine, 'collection' | 'task' | 'name'>>;

/** One firing of a routine: a scheduled slot (with the slots it folds in) or a run-now. */
export interface RoutineFiring {
  id: number;
  routine_id: number;
  slot: string | null;
  trigger: 'schedule' | 'manual';
  missed: number;
  trajectory_id: string;
  state: 'claimed' | 'started' | 'failed';
  error: string | null;
  fired_at: string;
}

interface RoutineRow extends Omit<RoutineRecord, 'cadence' | 'init_params_overrides' | 'secret_params' | 'paused' | 'webhook_secret'> {
  cadence: string;
  init_params_overrides: string;
  secret_params: string;
  paused: number;
  webhook_secret: number;
}

const fromRow = (row: RoutineRow): RoutineRecord => ({
  ...row,
  cadence: JSON.parse(row.cadence) as Record<string, unknown>,
  init_params_overrides: JSON.parse(row.init_params_overrides) as Record<string, unknown>,
  secret_params: JSON.parse(row.secret_params) as string[],
  paused: row.paused === 1,
  webhook_secret: row.webhook_secret === 1,
});

/**
 * Routines and their firings (migration 13). What is written is redacted of the shared
 * secrets as every record is; a slot is claimed by inserting its firing, once.
 */
export function routinesRepository(ctx: StoreContext) {
  const db = ctx.db;
  const sql = {
    insert: db.prepare(`INSERT INTO routines (collection, task, name, cadence, init_params_overrides, secret_params, paused, webhook_url, webhook_secret, schedule_from, created_at, updated_at)
      VALUES (@collection, @task, @name, @cadence, @init_params_overrides, @secret_params, @paused, @webhook_url, @webhook_secret, @schedule_from, @now, @now)`),
    byName: db.prepare<[string, string, string], RoutineRow>('SELECT * FROM routines WHERE collection = ? AND task = ? AND name = ?'),
    byId: db.prepare<[number], RoutineRow>('SELECT * FROM routines WHERE id = ?'),
    all: db.prepare<[], RoutineRow>('SELECT * FROM routines ORDER BY collection, task, name'),
    inCollection: db.prepare<[string], RoutineRow>('SELECT * FROM routines WHERE collection = ? ORDER BY task, name'),
    inTask: db.prepare<[string, string], RoutineRow>('SELECT * FROM routines WHERE collection = ? AND task = ? ORDER BY name'),
    update: db.prepare(`UPDATE routines SET cadence = @cadence, init_params_overrides = @init_params_overrides, secret_params = @secret_params, paused = @paused,
      webhook_url = @webhook_url, webhook_secret = @webhook_secret, schedule_from = @schedule_from, updated_at = @now WHERE id = @id`),
    remove: db.prepare('DELETE FROM routines WHERE id = ?'),
    claim: db.prepare(`INSERT INTO routine_firings (routine_id, slot, trigger, missed, trajectory_id, state, fired_at)
      VALUES (@routine_id, @slot, @trigger, @missed, @trajectory_id, 'claimed', @fired_at) ON CONFLICT (routine_id, slot) DO NOTHING`),
    firing: db.prepare<[number], RoutineFiring>('SELECT * FROM routine_firings WHERE id = ?'),
    lastSlot: db.prepare<[number], { slot: string | null }>("SELECT max(slot) AS slot FROM routine_firings WHERE routine_id = ? AND trigger = 'schedule'"),
    settle: db.prepare('UPDATE routine_firings SET state = ?, error = ? WHERE id = ?'),
    claimed: db.prepare<[], RoutineFiring>("SELECT * FROM routine_firings WHERE state = 'claimed' ORDER BY id"),
    firings: db.prepare<[number, number], RoutineFiring>('SELECT * FROM routine_firings WHERE routine_id = ? ORDER BY id DESC LIMIT ?'),
    ofTrajectory: db.prepare<[string], RoutineFiring>('SELECT * FROM routine_firings WHERE trajectory_id = ?'),
  };
  const redact = (value: unknown) => ctx.redactorFor('').redactJson(value);
  const columns = (r: NewRoutine | RoutineRecord) => ({
    cadence: JSON.stringify(r.cadence),
    init_params_overrides: redact(r.init_params_overrides),
    secret_params: JSON.stringify(r.secret_params),
    paused: r.paused ? 1 : 0,
    webhook_url: r.webhook_url === null ? null : ctx.redactorFor('').redact(r.webhook_url),
    webhook_secret: r.webhook_secret ? 1 : 0,
    schedule_from: r.schedule_from,
  });
  const get = (collection: string, task: string, name: string): RoutineRecord | null => {
    const row = sql.byName.get(collection, task, name);
    return row ? fromRow(row) : null;
  };
  const claim = writeTransaction(db, (input: Pick<RoutineFiring, 'routine_id' | 'slot' | 'trigger' | 'missed' | 'trajectory_id' | 'fired_at'>): RoutineFiring | null => {
    const result = sql.claim.run(input);
    return result.changes === 0 ? null : (sql.firing.get(Number(result.lastInsertRowid)) ?? null);
  });
  return {
    create(input: NewRoutine): RoutineRecord {
      if (get(input.collection, input.task, input.name)) throw new StoreError('invalid_input', `a routine named '${input.name}' already exists for ${input.collection}/${input.task}`);
      const id = Number(sql.insert.run({ ...input, ...columns(input), now: nowIso() }).lastInsertRowid);
      return fromRow(sql.byId.get(id)!);
    },
    get,
    byId: (id: number): RoutineRecord | null => {
      const row = sql.byId.get(id);
      return row ? fromRow(row) : null;
    },
    list(collection?: string, task?: string): RoutineRecord[] {
      const rows = collection === undefined ? sql.all.all() : task === undefined ? sql.inCollection.all(collection) : sql.inTask.all(collection, task);
      return rows.map(fromRow);
    },
    update(id: number, patch: RoutinePatch): RoutineRecord {
      const row = sql.byId.get(id);
      if (!row) throw new StoreError('not_found', `no routine ${id}`);
      sql.update.run({ ...columns({ ...fromRow(row), ...patch }), id, now: nowIso() });
      return fromRow(sql.byId.get(id)!);
    },
    remove: (id: number): boolean => sql.remove.run(id).changes > 0,
    /** Claims a slot (or a run-now, slot null) for a routine: the firing, or null when the slot was claimed before. */
    claim,
    /** The latest scheduled slot fired (claimed) for a routine, if any. */
    lastSlot: (routineId: number): string | null => sql.lastSlot.get(routineId)?.slot ?? null,
    /** Marks a claimed firing started (its run exists) or failed (it could not start, with why). */
    settle(firingId: number, state: 'started' | 'failed', error: string | null = null): void {
      sql.settle.run(state, error === null ? null : ctx.redactorFor('').redact(error), firingId);
    },
    /** Firings claimed whose outcome was never written (a process stopped in between). */
    claimed: (): RoutineFiring[] => sql.claimed.all(),
    /** A routine's firings, newest first. */
    firings: (routineId: number, limit: number): RoutineFiring[] => sql.firings.all(routineId, limit),
    /** The firing that started a trajectory, if a routine did. */
    firingOf: (trajectoryId: string): RoutineFiring | null => sql.ofTrajectory.get(trajectoryId) ?? null,
  };
}
export type Routines = ReturnType<typeof routinesRepository>;
