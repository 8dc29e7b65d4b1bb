import { z } from 'zod';
import type { CellFigures, StageFigures, TrialStage } from './evaluation-stats';
import { ImageNameSchema } from './images';

/**
 * Evaluations' part of the API contract (spread into `methods` and `events` in contract.ts):
 * a named, stored evaluation of one runbook — a matrix of cells (agent × model, each with its
 * overrides and its executor), N trials per cell and case, a concurrency bound per executor —
 * its trials (ordinary runs, tagged), the figures per cell, a runbook's dashboard over time and
 * the comparison of two evaluations.
 */
const method = <I extends z.ZodType, O extends z.ZodType>(input: I, output: O) => ({ input, output });

/** The bounds of one evaluation (what a request may ask for). */
export const EVALUATION_LIMITS = {
  cells: 24,
  trialsPerCell: 100,
  cases: 50,
  /** cells × cases × trials, re-runs of failures included. */
  totalTrials: 2000,
  concurrency: 64,
  /** Re-runs asked per failed trial at once. */
  rerunRepeats: 10,
} as const;

/** An evaluation id: 8 hex characters. */
export const EVALUATION_ID_PATTERN = /^[0-9a-f]{8}$/;
export const EvaluationIdSchema = z.string().regex(EVALUATION_ID_PATTERN, 'an evaluation id is 8 hex characters');
const Path = z.string().min(1, 'a path is required').max(4096, 'path is too long');
const Params = z.record(z.string().min(1).max(128), z.string().max(64 * 1024)).refine((p) => Object.keys(p).length <= 200, 'at most 200 parameters');

/** Where a trial runs: here (the Docker engine this Jetty uses, DOCKER_HOST included) or on the configured remote Jetty. */
export const ExecutorSchema = z.enum(['local', 'remote']);
export type Executor = z.infer<typeof ExecutorSchema>;

/** One cell of the matrix: an agent and a model (null: the run's default), with its overrides. */
export const EvaluationCellSchema = z.object({
  agent: z.string().min(1).max(64).nullable().default(null),
  model: z.string().min(1).max(256).nullable().default(null),
  /** This cell's sandbox image, over its collection's, Settings' and the runbook's. */
  image: ImageNameSchema.nullable().default(null),
  /** Parameters this cell sets over the case's. */
  params: Params.default({}),
  executor: ExecutorSchema.default('local'),
});
export type EvaluationCell = z.infer<typeof EvaluationCellSchema>;

/** One set of parameters the runbook is run with (a manifest example, a line of a cases file). */
export const EvaluationCaseSchema = z.object({ name: z.string().min(1).max(200), params: Params.default({}) });
export type EvaluationCase = z.infer<typeof EvaluationCaseSchema>;

export const EvaluationConcurrencySchema = z.object({
  local: z.number().int().min(1).max(EVALUATION_LIMITS.concurrency),
  remote: z.number().int().min(1).max(EVALUATION_LIMITS.concurrency),
});
export type EvaluationConcurrency = z.infer<typeof EvaluationConcurrencySchema>;

/** What starting an evaluation asks for. */
export const EvaluationRequestSchema = z.object({
  runbookPath: Path,
  name: z.string().min(1).max(200).optional(),
  cells: z.array(EvaluationCellSchema).min(1, 'at least one cell (agent × model)').max(EVALUATION_LIMITS.cells),
  trials: z.number().int().min(1).max(EVALUATION_LIMITS.trialsPerCell),
  /** Trials at once per executor; default: the machine's (local, from its cores and memory) and 4 (remote). */
  concurrency: EvaluationConcurrencySchema.partial().optional(),
  /** One set of parameters for every trial (when `cases` is not given). */
  params: Params.optional(),
  /** Several sets: a list, or `examples` (the manifest's example inputs with values). */
  cases: z.union([z.literal('examples'), z.array(EvaluationCaseSchema).min(1).max(EVALUATION_LIMITS.cases)]).optional(),
  timeoutSeconds: z.number().int().positive().max(86_400).optional(),
});
export type EvaluationRequest = z.input<typeof EvaluationRequestSchema>;

export const EvaluationStatusSchema = z.enum(['running', 'completed', 'failed', 'cancelled']);
export type EvaluationStatus = z.infer<typeof EvaluationStatusSchema>;

/** A stored evaluation: what was asked, of which runbook (its content hash and version), and how it stands. */
/** What an evaluation of a suggested edit tests: the evaluation the suggestion was made for, and the suggestion's number. */
export const SuggestionOfSchema = z.object({ evaluation_id: z.string(), number: z.number().int() });
export type SuggestionOf = z.infer<typeof SuggestionOfSchema>;

export const EvaluationSchema = z.object({
  id: z.string(),
  name: z.string(),
  runbook_path: z.string(),
  collection: z.string(),
  task: z.string(),
  /** sha256 of RUNBOOK.md as evaluated: every trial runs this text (a change refuses the trials left). */
  content_hash: z.string(),
  /** The runbook's frontmatter `version`. */
  version: z.string().nullable(),
  cells: z.array(EvaluationCellSchema),
  cases: z.array(EvaluationCaseSchema),
  trials: z.number().int(),
  concurrency: EvaluationConcurrencySchema,
  timeout_seconds: z.number().int().nullable(),
  status: EvaluationStatusSchema,
  error: z.string().nullable(),
  created_at: z.string(),
  ended_at: z.string().nullable(),
  /** Set when it evaluates a suggested edit (an edited copy of the runbook), not the runbook itself. */
  suggestion_of: SuggestionOfSchema.nullable(),
});
export type Evaluation = z.infer<typeof EvaluationSchema>;

const TrialStageSchema = z.object({ name: z.string(), outcome: z.enum(['pass', 'partial', 'fail']), message: z.string().nullable() }) satisfies z.ZodType<TrialStage>;

/** One trial: a run of one cell and case, numbered; its run's trajectory and how it ended. */
export const EvaluationTrialSchema = z.object({
  cell: z.number().int(),
  case: z.number().int(),
  trial: z.number().int(),
  /** The trial this one re-runs (re-run failures), or null for the evaluation's own. */
  rerun_of: z.number().int().nullable(),
  executor: ExecutorSchema,
  state: z.enum(['pending', 'running', 'ended']),
  /** Runs started for it: more than one when a crash interrupted an earlier one (listed in `superseded`). */
  attempt: z.number().int(),
  trajectory_id: z.string().nullable(),
  superseded: z.array(z.string()),
  outcome: z.enum(['passed', 'failed', 'error', 'cancelled']).nullable(),
  error_kind: z.string().nullable(),
  error: z.string().nullable(),
  stages: z.array(TrialStageSchema),
  duration_ms: z.number().nullable(),
  input_tokens: z.number().int(),
  output_tokens: z.number().int(),
  cost_usd: z.number(),
  ended_at: z.string().nullable(),
});
export type EvaluationTrial = z.infer<typeof EvaluationTrialSchema>;

const Interval = z.object({ low: z.number(), high: z.number() });
const StageFiguresSchema = z.object({
  name: z.string(),
  ran: z.number().int(),
  passed: z.number().int(),
  first_failures: z.number().int(),
  state: z.enum(['stable', 'flaky', 'broken']),
}) satisfies z.ZodType<StageFigures>;

export const CellFiguresSchema = z.object({
  trials: z.number().int(),
  passed: z.number().int(),
  failed: z.number().int(),
  errors: z.number().int(),
  cancelled: z.number().int(),
  pass_rate: z.number().nullable(),
  interval: Interval.nullable(),
  pass_at_k: z.record(z.string(), z.number()),
  pass_hat_k: z.record(z.string(), z.number()),
  stages: z.array(StageFiguresSchema),
  flaky_stage: z.string().nullable(),
  duration_ms: z.object({ p50: z.number().nullable(), p90: z.number().nullable() }),
  tokens: z.object({ input: z.number().int(), output: z.number().int() }),
  cost_usd: z.number(),
  errors_by_kind: z.object({ infrastructure: z.record(z.string(), z.number().int()), runbook: z.record(z.string(), z.number().int()) }),
  reruns: z.object({ trials: z.number().int(), passed: z.number().int(), systematic: z.number().int(), flaky: z.number().int(), pending: z.number().int() }),
}) satisfies z.ZodType<CellFigures>;

/** A cell's figures with what it is. */
export const CellReportSchema = CellFiguresSchema.extend({
  cell: z.number().int(),
  /** "agent / model" as shown (the run's defaults named as such). */
  label: z.string(),
  agent: z.string().nullable(),
  model: z.string().nullable(),
  executor: ExecutorSchema,
});
export type CellReport = z.infer<typeof CellReportSchema>;

/** An evaluation with its trials and the figures per cell. */
export const EvaluationReportSchema = z.object({
  evaluation: EvaluationSchema,
  cells: z.array(CellReportSchema),
  trials: z.array(EvaluationTrialSchema),
  progress: z.object({ total: z.number().int(), ended: z.number().int(), running: z.number().int(), pending: z.number().int() }),
  /** How the headline figures count trials (SCORING_RULE). */
  rule: z.string(),
});
export type EvaluationReport = z.infer<typeof EvaluationReportSchema>;

/** An evaluation as a list shows it: its totals over every cell. */
export const EvaluationSummarySchema = EvaluationSchema.extend({
  total: z.number().int(),
  ended: z.number().int(),
  scored: z.number().int(),
  passed: z.number().int(),
  errors: z.number().int(),
  cost_usd: z.number(),
  duration_p50_ms: z.number().nullable(),
});
export type EvaluationSummary = z.infer<typeof EvaluationSummarySchema>;

/** A runbook's runs per day (every run, evaluations' trials included; not those of a suggested edit's evaluation, which ran an edited copy). */
export const RunTrendPointSchema = z.object({
  day: z.string(),
  runs: z.number().int(),
  passed: z.number().int(),
  failed: z.number().int(),
  cost_usd: z.number(),
  duration_p50_ms: z.number().nullable(),
});
export type RunTrendPoint = z.infer<typeof RunTrendPointSchema>;

export const MovementSchema = z.enum(['improved', 'regressed', 'same', 'within_noise', 'new', 'gone']);

/** Two evaluations side by side: per cell (matched by agent, model and executor) and per stage, with each move marked. */
export const EvaluationComparisonSchema = z.object({
  left: EvaluationSummarySchema,
  right: EvaluationSummarySchema,
  cells: z.array(
    z.object({
      label: z.string(),
      left: CellReportSchema.nullable(),
      right: CellReportSchema.nullable(),
      movement: MovementSchema,
      stages: z.array(
        z.object({
          name: z.string(),
          left: z.object({ passed: z.number().int(), ran: z.number().int() }).nullable(),
          right: z.object({ passed: z.number().int(), ran: z.number().int() }).nullable(),
          movement: MovementSchema,
        }),
      ),
    }),
  ),
});
export type EvaluationComparison = z.infer<typeof EvaluationComparisonSchema>;

const Id = z.object({ id: EvaluationIdSchema });

export const evaluationMethods = {
  /** Starts an evaluation of a runbook in an open folder; its trials run in the background. */
  'evaluation.start': method(EvaluationRequestSchema, z.object({ id: z.string() })),
  'evaluation.get': method(Id, EvaluationReportSchema),
  /** Evaluations, newest first (of one runbook when collection and task are given). */
  'evaluation.list': method(z.object({ collection: z.string().max(256).optional(), task: z.string().max(256).optional(), limit: z.number().int().min(1).max(200).default(50) }), z.array(EvaluationSummarySchema)),
  /** Stops an evaluation: its running trials are cancelled, the others are not started. */
  'evaluation.cancel': method(Id, z.object({ cancelled: z.boolean() })),
  /** Adds `repeats` trials per failed trial (errors included) to tell systematic failures from flaky ones. */
  'evaluation.rerunFailures': method(Id.extend({ repeats: z.number().int().min(1).max(EVALUATION_LIMITS.rerunRepeats).default(2) }), z.object({ added: z.number().int() })),
  'evaluation.compare': method(z.object({ left: EvaluationIdSchema, right: EvaluationIdSchema }), EvaluationComparisonSchema),
  /** A runbook over time: its evaluations (by version) and its runs per day. */
  'evaluation.dashboard': method(
    z.object({ collection: z.string().min(1).max(256), task: z.string().min(1).max(256), days: z.number().int().min(1).max(365).default(90) }),
    z.object({ evaluations: z.array(EvaluationSummarySchema), runs: z.array(RunTrendPointSchema) }),
  ),
} as const;

export const evaluationEvents = {
  /** A trial of an evaluation started or ended, or the evaluation ended (read it again with evaluation.get). */
  'evaluation.changed': z.object({ id: z.string(), status: EvaluationStatusSchema }),
} as const;
