import type { Statement } from 'better-sqlite3';
import { EvaluationVerdictSchema, TrajectorySortSchema, type EvaluationVerdict, type TrajectorySort } from '../../../shared/evaluation';
import {
  TrajectoryStatusSchema,
  type TrajectoryKind,
  type TrajectoryStatus,
} from '../../../shared/trajectory';
import { NESTED_LINK_KINDS, SortDirectionSchema, TrajectoryOrderSchema, type SortDirection, type TrajectoryOrder } from '../../../shared/trajectory-search';
import type { StoreContext } from './context';
import { StoreError } from './errors';
import type { SearchIndex } from './search-index';
import { searchTerms } from './search-text';
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
  /**
   * Words every match holds somewhere in the trajectory (full-text: events, tool calls and
   * outputs, model prompts and completions, result files), or a substring of its header as
   * `search` finds them. With `topLevel`, a run nested under another matches for it.
   */
  text?: string;
  agent?: string;
  model?: string;
  /** Created at or after this ISO time. */
  since?: string;
  /** Created before this ISO time. */
  until?: string;
  /** Only trajectories not nested under another (a workflow's model calls and child runs are left out). */
  topLevel?: boolean;
  /** Sort by a column (over `sort`), newest first within it. */
  orderBy?: TrajectoryOrder;
  direction?: SortDirection;
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
       OR error LIKE @search ESCAPE '\\' OR init_params LIKE @search ESCAPE '\\')
  AND (@agent IS NULL OR agent = @agent)
  AND (@model IS NULL OR model = @model)
  AND (@since IS NULL OR created_at >= @since)
  AND (@until IS NULL OR created_at < @until)`;

interface FilterParams {
  collection: string | null;
  task: string | null;
  kind: string | null;
  statuses: string | null;
  label_key: string | null;
  label_value: string | null;
  search: string | null;
  agent: string | null;
  model: string | null;
  since: string | null;
  until: string | null;
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
    search: likePattern(query.search),
    agent: query.agent || null,
    model: query.model || null,
    since: isoBound(query.since, 'since'),
    until: isoBound(query.until, 'until'),
  };
}

const likePattern = (text: string | undefined): string | null => (text ? `%${text.replace(/[\\%_]/g, '\\$&')}%` : null);

function isoBound(value: string | undefined, name: string): string | null {
  if (!value) return null;
  if (Number.isNaN(Date.parse(value))) throw new StoreError('invalid_input', `Invalid ${name} '${value}': use a date or time such as 2026-05-01 or 2026-05-01T12:00:00Z.`);
  return new Date(value).toISOString();
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

/** The expression each sortable column sorts by (NULLs last either way). */
const COLUMN_ORDER: Record<TrajectoryOrder, (direction: string) => string> = {
  created: (d) => `created_at ${d}`,
  duration: (d) => `(julianday(ended_at) - julianday(started_at)) ${d} NULLS LAST`,
  tokens: (d) => `total_tokens ${d} NULLS LAST`,
  cost: (d) => `cost_usd ${d} NULLS LAST`,
  status: (d) => `status ${d}`,
  evaluation: (d) => `evaluation_verdict ${d}`,
  runbook: (d) => `collection ${d}, task ${d}`,
};

function orderOf(query: Pick<TrajectoryQuery, 'sort' | 'orderBy' | 'direction'>): string {
  if (query.orderBy === undefined) return ORDER[sortOf(query)];
  if (!TrajectoryOrderSchema.safeParse(query.orderBy).success) {
    throw new StoreError('invalid_input', `Invalid column to sort by '${query.orderBy}': use one of ${TrajectoryOrderSchema.options.join(', ')}.`);
  }
  const direction = query.direction ?? 'desc';
  if (!SortDirectionSchema.safeParse(direction).success) throw new StoreError('invalid_input', `Invalid sort direction '${direction}': use asc or desc.`);
  return `${COLUMN_ORDER[query.orderBy](direction.toUpperCase())}, created_at DESC, t.rowid DESC`;
}

const NESTED = NESTED_LINK_KINDS.map((k) => `'${k}'`).join(', ');
/** Only trajectories no other one nests (a workflow's model calls and child runs are under it). */
const TOP_LEVEL_FILTER = ` AND NOT EXISTS (SELECT 1 FROM trajectory_links l WHERE l.child_id = t.id AND l.kind IN (${NESTED}))`;
const HEADER_TEXT = ['t.id', 'collection', 'task', 'agent', 'model', 'error', 'init_params'].map((c) => `${c} LIKE @text_like ESCAPE '\\'`).join(' OR ');

/** A page's trajectory headers, and the FTS5 terms its `text` became (none: no full-text search). */
export type HeaderPage = Page<TrajectoryHeader> & { terms: string[] };

/** Filtered, paged listing and per-collection/task statistics. */
export function queriesRepository(ctx: StoreContext, search: SearchIndex) {
  // A statement per combination of the optional terms and order, each prepared once.
  const statements = new Map<string, Statement>();
  const prepared = (text: string, pluck = false) => {
    let statement = statements.get(text);
    if (!statement) statements.set(text, (statement = pluck ? ctx.db.prepare(text).pluck() : ctx.db.prepare(text)));
    return statement;
  };
  /** The optional terms: the verdict (an index), the text (`terms` full-text terms, or their top-level ancestors, or the header alone), the top level. */
  const where = (verdict: boolean, text: 'none' | 'header' | number, topLevel: boolean) => {
    let matches = '';
    if (typeof text === 'number') {
      const ids = search.matchingIds(text);
      matches = topLevel
        ? `t.id IN (WITH RECURSIVE up(id) AS (${ids} UNION SELECT l.parent_id FROM trajectory_links l JOIN up ON l.child_id = up.id WHERE l.kind IN (${NESTED})) SELECT id FROM up) OR `
        : `t.id IN (${ids}) OR `;
    }
    return `${FILTER}${verdict ? VERDICT_FILTER : ''}${text === 'none' ? '' : ` AND (${matches}${HEADER_TEXT})`}${topLevel ? TOP_LEVEL_FILTER : ''}`;
  };
  const sql = {
    list: (terms: string, order: string) => prepared(`SELECT t.* FROM trajectories t WHERE ${terms} ORDER BY ${order} LIMIT @limit OFFSET @offset`),
    /** A full-text page with its total in one statement: the index is searched once. */
    listCounted: (terms: string, order: string) =>
      prepared(`SELECT t.*, count(*) OVER () AS matching FROM trajectories t WHERE ${terms} ORDER BY ${order} LIMIT @limit OFFSET @offset`),
    count: (terms: string) => prepared(`SELECT count(*) FROM trajectories t WHERE ${terms}`, true),
    agents: ctx.db.prepare('SELECT DISTINCT agent FROM trajectories WHERE agent IS NOT NULL ORDER BY agent LIMIT 200').pluck(),
    models: ctx.db.prepare('SELECT DISTINCT model FROM trajectories WHERE model IS NOT NULL ORDER BY model LIMIT 200').pluck(),
    labelKeys: ctx.db.prepare('SELECT DISTINCT key FROM labels ORDER BY key LIMIT 200').pluck(),
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
    list(query: TrajectoryQuery): HeaderPage {
      const { limit, page } = paging(query);
      const verdict = verdictParam(query);
      const order = orderOf(query);
      const text = query.text?.trim() ? query.text.trim() : null;
      const fts = text === null ? [] : searchTerms(query.text!);
      const terms = where(verdict !== null, fts.length ? fts.length : text ? 'header' : 'none', query.topLevel === true);
      const params = { ...filterParams(query), ...verdict, ...(text ? { text_like: likePattern(text) } : {}), ...Object.fromEntries(fts.map((t, i) => [`t${i}`, t])) };
      const paged = { ...params, limit, offset: (page - 1) * limit };
      let rows: (Parameters<typeof headerFromRow>[0] & { matching?: number })[];
      let total: number;
      if (fts.length) {
        rows = sql.listCounted(terms, order).all(paged) as typeof rows;
        total = rows[0]?.matching ?? (page > 1 ? (sql.count(terms).get(params) as number) : 0);
      } else {
        total = sql.count(terms).get(params) as number;
        rows = sql.list(terms, order).all(paged) as typeof rows;
      }
      return { trajectories: rows.map(headerFromRow), total, page, limit, has_more: page * limit < total, terms: fts };
    },
    /** Distinct agents, models and label keys, at most 200 each, for the list's filters. */
    facets(): { agents: string[]; models: string[]; labels: string[] } {
      return { agents: sql.agents.all() as string[], models: sql.models.all() as string[], labels: sql.labelKeys.all() as string[] };
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
