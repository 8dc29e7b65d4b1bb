import {
  TrajectoryKindSchema,
  TrajectoryStatusSchema,
  UsageSchema,
  EvaluationSchema,
  type Trajectory,
  type TrajectoryKind,
  type TrajectoryStatus,
} from '../../../shared/trajectory';
import { z } from 'zod';
import { nowIso, type StoreContext } from './context';
import { trajectoryNotFound } from './errors';
import { randomTrajectoryId } from './ids';
import { stampStatusTimes } from './status-times';
import { parseOrThrow } from './validate';

/** A trajectory without its steps, labels and artifacts: one row of the table. */
export type TrajectoryHeader = Omit<Trajectory, 'steps' | 'labels' | 'artifacts'>;

/** What a caller gives to start a trajectory. */
export interface NewTrajectory {
  collection: string;
  task: string;
  kind: TrajectoryKind;
  /** Defaults to `pending`. */
  status?: TrajectoryStatus;
  /** Parameters of the run, secrets already removed by the caller (redacted again here). */
  init_params?: Record<string, unknown>;
  agent?: string | null;
  model?: string | null;
  /**
   * Token of the process running it (see `processOwnerToken`), so `markInterrupted` can
   * tell a crashed run. Without one the trajectory is never considered interrupted.
   */
  owner?: string | null;
}

/** One task's trajectories: a collection and a task name. */
export interface TaskScope {
  collection: string;
  task: string;
}

/** Fields of a trajectory that change as it runs. Unset fields keep their value. */
export const TrajectoryPatchSchema = z
  .object({
    status: TrajectoryStatusSchema,
    error: z.string().nullable(),
    agent: z.string().nullable(),
    model: z.string().nullable(),
    started_at: z.string().nullable(),
    ended_at: z.string().nullable(),
    usage: UsageSchema.nullable(),
    evaluation: EvaluationSchema.nullable(),
  })
  .partial();
export type TrajectoryPatch = z.infer<typeof TrajectoryPatchSchema>;

const NewTrajectorySchema = z.object({
  collection: z.string().min(1),
  task: z.string().min(1),
  kind: TrajectoryKindSchema,
  status: TrajectoryStatusSchema.default('pending'),
  init_params: z.record(z.string(), z.unknown()).default({}),
  agent: z.string().nullable().default(null),
  model: z.string().nullable().default(null),
  owner: z.string().min(1).nullable().default(null),
});

interface TrajectoryRow {
  id: string;
  collection: string;
  task: string;
  kind: TrajectoryKind;
  status: TrajectoryStatus;
  error: string | null;
  init_params: string;
  agent: string | null;
  model: string | null;
  created_at: string;
  started_at: string | null;
  ended_at: string | null;
  prompt_tokens: number | null;
  completion_tokens: number | null;
  total_tokens: number | null;
  cost_usd: number | null;
  evaluation: string | null;
  owner: string | null;
}

const COLUMNS =
  'id, collection, task, kind, status, error, init_params, agent, model, created_at, started_at, ended_at, ' +
  'prompt_tokens, completion_tokens, total_tokens, cost_usd, evaluation, owner';

export function headerFromRow(row: TrajectoryRow): TrajectoryHeader {
  return {
    id: row.id,
    collection: row.collection,
    task: row.task,
    kind: row.kind,
    status: row.status,
    error: row.error,
    init_params: JSON.parse(row.init_params),
    agent: row.agent,
    model: row.model,
    created_at: row.created_at,
    started_at: row.started_at,
    ended_at: row.ended_at,
    usage:
      row.total_tokens === null
        ? null
        : {
            prompt_tokens: row.prompt_tokens ?? 0,
            completion_tokens: row.completion_tokens ?? 0,
            total_tokens: row.total_tokens,
            cost_usd: row.cost_usd,
          },
    evaluation: row.evaluation === null ? null : JSON.parse(row.evaluation),
  };
}

function rowFromHeader(header: TrajectoryHeader, owner: string | null): TrajectoryRow {
  return {
    id: header.id,
    collection: header.collection,
    task: header.task,
    kind: header.kind,
    status: header.status,
    error: header.error ?? null,
    init_params: JSON.stringify(header.init_params),
    agent: header.agent,
    model: header.model,
    created_at: header.created_at,
    started_at: header.started_at,
    ended_at: header.ended_at,
    prompt_tokens: header.usage?.prompt_tokens ?? null,
    completion_tokens: header.usage?.completion_tokens ?? null,
    total_tokens: header.usage?.total_tokens ?? null,
    cost_usd: header.usage?.cost_usd ?? null,
    evaluation: header.evaluation === null ? null : JSON.stringify(header.evaluation),
    owner,
  };
}

/** How many fresh trajectory ids are checked at once. */
const ID_RESERVE = 256;

export type TrajectoriesRepository = ReturnType<typeof trajectoriesRepository>;

/** Trajectory headers: create, read, patch, and find runs whose owner died. */
export function trajectoriesRepository(ctx: StoreContext) {
  const sql = {
    insert: ctx.db.prepare(`INSERT INTO trajectories (${COLUMNS}) VALUES (${COLUMNS.replace(/(\w+)/g, '@$1')})`),
    get: ctx.db.prepare<[string], TrajectoryRow>(`SELECT ${COLUMNS} FROM trajectories WHERE id = ?`),
    exists: ctx.db.prepare<[string], number>('SELECT 1 FROM trajectories WHERE id = ?').pluck(),
    taken: ctx.db.prepare<[string], string>('SELECT id FROM trajectories WHERE id IN (SELECT value FROM json_each(?))').pluck(),
    takenInTask: ctx.db
      .prepare<[string, string, string], string>('SELECT id FROM trajectories WHERE collection = ? AND task = ? AND id IN (SELECT value FROM json_each(?))')
      .pluck(),
    update: ctx.db.prepare(
      `UPDATE trajectories SET ${COLUMNS.split(', ')
        .filter((c) => c !== 'id')
        .map((c) => `${c} = @${c}`)
        .join(', ')} WHERE id = @id`,
    ),
    live: ctx.db.prepare<[], { id: string; owner: string }>(
      "SELECT id, owner FROM trajectories WHERE status IN ('pending', 'running') AND owner IS NOT NULL",
    ),
  };

  const exists = (id: string): boolean => sql.exists.get(id) !== undefined;

  /**
   * Ids checked against the table in one query per `ID_RESERVE` and handed out one by one
   * (the passthrough needs one per call; a lookup each is a read transaction each). An id
   * is handed out once; one checked a while ago can still meet a trajectory created since
   * by another process, with odds of about `ID_RESERVE` in 2^32 per trajectory.
   */
  const reserve: string[] = [];
  const freshId = (): string => {
    while (reserve.length === 0) {
      const candidates = new Set<string>();
      while (candidates.size < ID_RESERVE) candidates.add(randomTrajectoryId());
      const taken = new Set(sql.taken.all(JSON.stringify([...candidates])));
      for (const id of candidates) if (!taken.has(id)) reserve.push(id);
    }
    return reserve.pop()!;
  };

  const getRow = (id: string): TrajectoryRow => {
    const row = sql.get.get(id);
    if (!row) throw trajectoryNotFound(id);
    return row;
  };

  /** Writes a complete header as is (used by create and by import). */
  const insert = (header: TrajectoryHeader, owner: string | null): void => {
    sql.insert.run(rowFromHeader(header, owner));
  };

  return {
    exists,
    /** Which of `ids` are stored (in `within`'s collection and task, when given): one query however many ids. */
    existing(ids: readonly string[], within?: TaskScope): Set<string> {
      const json = JSON.stringify(ids);
      return new Set(within ? sql.takenInTask.all(within.collection, within.task, json) : sql.taken.all(json));
    },
    freshId,
    insert,
    /** Throws not_found unless the trajectory exists. */
    require(id: string): void {
      if (!exists(id)) throw trajectoryNotFound(id);
    },
    get(id: string): TrajectoryHeader | null {
      const row = sql.get.get(id);
      return row ? headerFromRow(row) : null;
    },
    /** Inserts a new trajectory under `id`, redacting every string with its redactor. */
    create(id: string, input: NewTrajectory): TrajectoryHeader {
      const parsed = parseOrThrow(NewTrajectorySchema, input, 'trajectory');
      const redactor = ctx.redactorFor(id);
      const header = stampStatusTimes<TrajectoryHeader>(
        redactor.redactValue({
          id,
          collection: parsed.collection,
          task: parsed.task,
          kind: parsed.kind,
          status: parsed.status,
          error: null,
          init_params: parsed.init_params,
          agent: parsed.agent,
          model: parsed.model,
          created_at: nowIso(),
          started_at: null,
          ended_at: null,
          usage: null,
          evaluation: null,
        }),
        nowIso(),
      );
      insert(header, parsed.owner);
      return header;
    },
    /** Applies a patch (redacted), stamping the times a status change implies. */
    update(id: string, patch: TrajectoryPatch): TrajectoryHeader {
      const parsed = parseOrThrow(TrajectoryPatchSchema, patch, 'trajectory update');
      const row = getRow(id);
      const next = stampStatusTimes<TrajectoryHeader>(
        { ...headerFromRow(row), ...ctx.redactorFor(id).redactValue(parsed) },
        nowIso(),
      );
      sql.update.run(rowFromHeader(next, row.owner));
      return next;
    },
    /** Running or pending trajectories that name an owner process. */
    live: (): { id: string; owner: string }[] => sql.live.all(),
  };
}
