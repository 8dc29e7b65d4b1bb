import type { Statement } from 'better-sqlite3';
import { EvaluationVerdictSchema, TrajectorySortSchema, type EvaluationVerdict, type TrajectorySort } from '../../../shared/evaluation';
import {
  TrajectoryStatusSchema,
  type TrajectoryKind,
  type TrajectoryStatus,
} from '../../../shared/trajectory';
import type { StoreContext } from './context';
import { StoreError } from './errors';
import { headerFromRow, type TrajectoryHeader } from './trajectories';

/** Filters and paging for `listTrajectories`; every filter is optional and they combine with AND. */
export interface TrajectoryQuery {
  collection?: string;
  task?: string;
  kind?: TrajectoryKind;
  status?: TrajectoryStatus | TrajectoryStatus[];
  /** `key` (any value) or `key=value`. */
  label?: string;
  /** Case-insensitive substring of id, collection, task, agent, model, error or init params. */
  search?: string;
  /** The evaluation's verdict (shared/evaluation.ts), whatever the status. */
  evaluation?: EvaluationVerdict;
  /** Newest first (the default), or by verdict: failed first or passed first, newest first within each. */
  sort?: TrajectorySort;
  /** Page size, 1–MAX_PAGE_LIMIT; default 20. */
  limit?: number;
  /** 1-based page number; default 1. */
  page?: number;
}

/** The cloud's page shape. */
export interface Page<T> {
  trajectories: T[];
  total: number;
  page: number;
  limit: number;
  has_more: boolean;
}

/** Aggregates over the trajectories of a collection and/or task. */
export interface TrajectoryStats {
  total: number;
  by_status: Record<TrajectoryStatus, number>;
  /** Mean of ended_at − started_at over trajectories that have both; null if none. */
  avg_duration_ms: number | null;
  usage: { prompt_tokens: number; completion_tokens: number; total_tokens: number; cost_usd: number };
  /** Trajectories with an evaluation verdict, and how many of those passed. */
  evaluated: number;
  passed: number;
}

export const MAX_PAGE_LIMIT = 200;

const FILTER = `
  (@collection IS NULL OR collection = @collection)
  AND (@task IS NULL OR task = @task)
  AND (@kind IS NULL OR kind = @kind)
  AND (@statuses IS NULL OR status IN (SELECT value FROM json_each(@statuses)))
  AND (@label_key IS NULL OR EXISTS (SELECT 1 FROM labels l WHERE l.trajectory_id = t.id
       AND l.key = @label_key AND (@label_value IS NULL OR l.value = @label_value)))
  AND (@search IS NULL OR t.id LIKE @search ESCAPE '\\' OR collection LIKE @search ESCAPE '\\'
       OR task LIKE @search ESCAPE '\\' OR agent LIKE @search ESCAPE '\\' OR model LIKE @search ESCAPE '\\'
       OR error LIKE @search ESCAPE '\\' OR init_params LIKE @search ESCAPE '\\')`;

interface FilterParams {
  collection: string | null;
  task: string | null;
  kind: string | null;
  statuses: string | null;
  label_key: string | null;
  label_value: string | null;
  search: string | null;
}

/**
 * The verdict filter is added to the statement only when asked for, so that it searches the
 * `trajectories_by_verdict` index (an `@x IS NULL OR …` term would scan); sorting by verdict
 * walks the same index.
 */
const VERDICT_FILTER = ' AND evaluation_verdict = @verdict';
const ORDER: Record<TrajectorySort, string> = {
  newest: 'created_at DESC, t.rowid DESC',
  failed_first: 'evaluation_verdict ASC, created_at DESC, t.rowid DESC',
  passed_first: 'evaluation_verdict DESC, created_at DESC, t.rowid DESC',
};

function verdictParam(query: Pick<TrajectoryQuery, 'evaluation'>): { verdict: EvaluationVerdict } | null {
  if (query.evaluation === undefined) return null;
  if (!EvaluationVerdictSchema.safeParse(query.evaluation).success) {
    throw new StoreError('invalid_input', `Invalid evaluation filter '${query.evaluation}': use one of ${EvaluationVerdictSchema.options.join(', ')}.`);
  }
  return { verdict: query.evaluation };
}

function sortOf(query: Pick<TrajectoryQuery, 'sort'>): TrajectorySort {
  const sort = query.sort ?? 'newest';
  if (!TrajectorySortSchema.safeParse(sort).success) {
    throw new StoreError('invalid_input', `Invalid sort '${sort}': use one of ${TrajectorySortSchema.options.join(', ')}.`);
  }
  return sort;
}

function filterParams(query: Omit<TrajectoryQuery, 'limit' | 'page' | 'evaluation' | 'sort'>): FilterParams {
  const statuses = query.status === undefined ? null : [query.status].flat();
  for (const status of statuses ?? []) {
    if (!TrajectoryStatusSchema.safeParse(status).success) {
      throw new StoreError('invalid_input', `Invalid status filter '${status}': use one of ${TrajectoryStatusSchema.options.join(', ')}.`);
    }
  }
  const [labelKey, ...labelValue] = query.label === undefined ? [] : query.label.split('=');
  return {
    collection: query.collection ?? null,
    task: query.task ?? null,
    kind: query.kind ?? null,
    statuses: statuses === null ? null : JSON.stringify(statuses),
    label_key: labelKey ?? null,
    label_value: labelValue.length ? labelValue.join('=') : null,
    search: query.search ? `%${query.search.replace(/[\\%_]/g, '\\$&')}%` : null,
  };
}

function paging(query: TrajectoryQuery): { limit: number; page: number } {
  const limit = query.limit ?? 20;
  const page = query.page ?? 1;
  if (!Number.isInteger(limit) || limit < 1 || limit > MAX_PAGE_LIMIT) {
    throw new StoreError('invalid_input', `Invalid limit ${limit}: use an integer from 1 to ${MAX_PAGE_LIMIT}.`);
  }
  if (!Number.isInteger(page) || page < 1) {
    throw new StoreError('invalid_input', `Invalid page ${page}: pages are numbered from 1.`);
  }
  return { limit, page };
}

export type QueriesRepository = ReturnType<typeof queriesRepository>;

/** Filtered, paged listing and per-collection/task statistics. */
export function queriesRepository(ctx: StoreContext) {
  // At most 2 × 3 list and 2 count statements, each prepared once.
  const statements = new Map<string, Statement>();
  const prepared = (text: string, pluck = false) => {
    let statement = statements.get(text);
    if (!statement) statements.set(text, (statement = pluck ? ctx.db.prepare(text).pluck() : ctx.db.prepare(text)));
    return statement;
  };
  const sql = {
    list: (verdict: boolean, sort: TrajectorySort) =>
      prepared(`SELECT t.* FROM trajectories t WHERE ${FILTER}${verdict ? VERDICT_FILTER : ''} ORDER BY ${ORDER[sort]} LIMIT @limit OFFSET @offset`),
    count: (verdict: boolean) => prepared(`SELECT count(*) FROM trajectories t WHERE ${FILTER}${verdict ? VERDICT_FILTER : ''}`, true),
    byStatus: ctx.db.prepare<[FilterParams], { status: TrajectoryStatus; n: number }>(
      `SELECT status, count(*) AS n FROM trajectories t WHERE ${FILTER} GROUP BY status`,
    ),
    totals: ctx.db.prepare<[FilterParams], Omit<TrajectoryStats, 'by_status' | 'usage'> & TrajectoryStats['usage']>(`
      SELECT count(*) AS total,
        avg(CASE WHEN started_at IS NOT NULL AND ended_at IS NOT NULL
            THEN (julianday(ended_at) - julianday(started_at)) * 86400000 END) AS avg_duration_ms,
        coalesce(sum(prompt_tokens), 0) AS prompt_tokens, coalesce(sum(completion_tokens), 0) AS completion_tokens,
        coalesce(sum(total_tokens), 0) AS total_tokens, coalesce(sum(cost_usd), 0) AS cost_usd,
        coalesce(sum(evaluation_verdict != 'none'), 0) AS evaluated,
        coalesce(sum(evaluation_verdict = 'passed'), 0) AS passed
      FROM trajectories t WHERE ${FILTER}`),
  };

  return {
    /** One page of trajectory headers in the query's order (newest first by default), with the total matching. */
    list(query: TrajectoryQuery): Page<TrajectoryHeader> {
      const { limit, page } = paging(query);
      const verdict = verdictParam(query);
      const sort = sortOf(query);
      const params = { ...filterParams(query), ...verdict };
      const total = sql.count(verdict !== null).get(params) as number;
      const rows = sql.list(verdict !== null, sort).all({ ...params, limit, offset: (page - 1) * limit }) as Parameters<typeof headerFromRow>[0][];
      return { trajectories: rows.map(headerFromRow), total, page, limit, has_more: page * limit < total };
    },
    stats(filter: Pick<TrajectoryQuery, 'collection' | 'task'>): TrajectoryStats {
      const params = filterParams(filter);
      const totals = sql.totals.get(params)!;
      const byStatus = Object.fromEntries(TrajectoryStatusSchema.options.map((s) => [s, 0])) as Record<TrajectoryStatus, number>;
      for (const { status, n } of sql.byStatus.all(params)) byStatus[status] = n;
      return {
        total: totals.total,
        by_status: byStatus,
        avg_duration_ms: totals.avg_duration_ms === null ? null : Math.round(totals.avg_duration_ms),
        usage: {
          prompt_tokens: totals.prompt_tokens,
          completion_tokens: totals.completion_tokens,
          total_tokens: totals.total_tokens,
          cost_usd: totals.cost_usd,
        },
        evaluated: totals.evaluated,
        passed: totals.passed,
      };
    },
  };
}
