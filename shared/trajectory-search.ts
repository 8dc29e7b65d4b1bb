/**
 * Finding trajectories: the full-text search's hits, the list's sortable columns, and how
 * trajectories relate (a workflow's model calls and child runs under it, a re-run's original,
 * a pulled or remote run's origin).
 */
import { z } from 'zod';
import { TrajectorySchema } from './trajectory';

/** The columns the trajectory list sorts by (`trajectory.list` `orderBy`). */
export const TrajectoryOrderSchema = z.enum(['created', 'duration', 'tokens', 'cost', 'status', 'evaluation', 'runbook']);
export type TrajectoryOrder = z.infer<typeof TrajectoryOrderSchema>;
export const SortDirectionSchema = z.enum(['asc', 'desc']);
export type SortDirection = z.infer<typeof SortDirectionSchema>;

/**
 * Where a trajectory matched a full-text search: an event (by seq), a model prompt's or
 * completion's message, a result file, or a run nested under it.
 */
export const SearchHitSchema = z.object({
  where: z.enum(['event', 'message', 'artifact', 'nested']),
  seq: z.number().int().nullable(),
  /** What matched, in words: "tool call", "model prompt or completion", "result file summary.md". */
  label: z.string(),
  /** The matching text around the first word found, on one line (redacted). */
  snippet: z.string(),
});
export type SearchHit = z.infer<typeof SearchHitSchema>;

/** How a trajectory sits under another: a workflow's model call, fan-out child, `run_runbook` run; or a re-run of it. */
export const TrajectoryLinkKindSchema = z.enum(['call', 'child', 'runbook', 'rerun']);
export type TrajectoryLinkKind = z.infer<typeof TrajectoryLinkKindSchema>;
/** The links that nest a trajectory under its parent in the list. */
export const NESTED_LINK_KINDS = ['call', 'child', 'runbook'] as const satisfies readonly TrajectoryLinkKind[];

/** Where a pulled (or remotely run) trajectory came from. */
export const TrajectoryOriginSchema = z.object({ base_url: z.string(), collection: z.string(), task: z.string(), remote_id: z.string() });
export type TrajectoryOriginRef = z.infer<typeof TrajectoryOriginSchema>;

const LinkSchema = z.object({ id: z.string(), kind: TrajectoryLinkKindSchema, step: z.string().nullable() });

/** A trajectory's relations: what it is nested under, the run it re-ran and its re-runs, its origin, how many runs nest under it. */
export const TrajectoryRelationsSchema = z.object({
  parent: LinkSchema.nullable(),
  rerunOf: z.string().nullable(),
  reruns: z.array(z.string()),
  origin: TrajectoryOriginSchema.nullable(),
  children: z.number().int(),
  /** The evaluation this run is a trial of, if any. */
  evaluation: z.string().nullable(),
});
export type TrajectoryRelations = z.infer<typeof TrajectoryRelationsSchema>;

/** The runs nested under a trajectory, oldest first, each with how it is linked. */
export const TrajectoryChildrenSchema = z.object({
  children: z.array(z.object({ trajectory: TrajectorySchema, kind: TrajectoryLinkKindSchema, step: z.string().nullable() })),
  total: z.number().int(),
});

/** What the list adds to a page: hits of a text search, nested counts of top-level rows, origins. */
export const TrajectoryPageExtrasSchema = z.object({
  hits: z.record(z.string(), SearchHitSchema).optional(),
  children: z.record(z.string(), z.number().int()).optional(),
  origins: z.record(z.string(), TrajectoryOriginSchema).optional(),
});

/** Distinct values the list's filters offer (agents, models, label keys), at most 200 each. */
export const TrajectoryFacetsSchema = z.object({ agents: z.array(z.string()), models: z.array(z.string()), labels: z.array(z.string()) });
