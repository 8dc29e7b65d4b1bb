import { z } from 'zod';
import { EvaluationIdSchema } from './evaluations';

/**
 * "Suggest fixes" (the contract's part, spread into `methods` and `events` in contract.ts): an
 * analysis agent reads an ended evaluation's failed trials through five lenses and proposes
 * runbook edits, each citing the trial steps (events, by `seq`) that motivate it; each edit is
 * evaluated (the same cells, cases and trials) before it is offered with its before/after
 * pass^k per cell, and can then be applied to RUNBOOK.md.
 */
const method = <I extends z.ZodType, O extends z.ZodType>(input: I, output: O) => ({ input, output });

/** The optimize-runbook lenses an edit is proposed through. */
export const SUGGESTION_LENSES = ['consistent_failures', 'wasted_iterations', 'timeouts', 'divergent_behaviour', 'missing_guardrails'] as const;
export const SuggestionLensSchema = z.enum(SUGGESTION_LENSES);
export type SuggestionLens = z.infer<typeof SuggestionLensSchema>;

/** What one suggestion set may hold, and what one proposal may say. */
export const SUGGESTION_LIMITS = {
  suggestions: 5,
  title: 200,
  rationale: 1500,
  find: 2000,
  replace: 4000,
  evidence: 20,
  /** Turns of the analysis agent (the first proposal, then corrections of refused ones). */
  turns: 3,
} as const;

/** A step of a failed trial an edit is motivated by: the trial's run and the event's `seq` there (the replay opens at it). */
export const SuggestionEvidenceSchema = z.object({ trajectory_id: z.string(), step: z.number().int() });
export type SuggestionEvidence = z.infer<typeof SuggestionEvidenceSchema>;

const Figures = z.object({ trials: z.number().int(), passed: z.number().int(), pass_rate: z.number().nullable(), pass_hat_k: z.number().nullable() });

/** One cell before the edit (the evaluation) and after it (the re-evaluation): pass^k at k = the trials per cell. */
export const SuggestionCellSchema = z.object({
  label: z.string(),
  k: z.number().int(),
  before: Figures,
  after: Figures,
  movement: z.enum(['up', 'down', 'same']),
});
export type SuggestionCell = z.infer<typeof SuggestionCellSchema>;

export const SuggestionVerdictSchema = z.enum(['improved', 'unchanged', 'worse']);
export type SuggestionVerdict = z.infer<typeof SuggestionVerdictSchema>;

/** One proposed edit: offered (its re-evaluation ended, with a verdict), being evaluated, failed to evaluate, or dropped (with why). */
export const SuggestionSchema = z.object({
  number: z.number().int(),
  state: z.enum(['evaluating', 'evaluated', 'failed', 'dropped']),
  lens: z.string(),
  title: z.string(),
  rationale: z.string(),
  evidence: z.array(SuggestionEvidenceSchema),
  find: z.string(),
  replace: z.string(),
  /** Why it was dropped (refused by the checks after the last turn) or why its re-evaluation failed. */
  reason: z.string().nullable(),
  /** sha256 of RUNBOOK.md with the edit made: what was evaluated, what applying writes. */
  edited_hash: z.string().nullable(),
  reevaluation_id: z.string().nullable(),
  /** The re-evaluation's progress while it runs. */
  progress: z.object({ total: z.number().int(), ended: z.number().int() }).nullable(),
  verdict: SuggestionVerdictSchema.nullable(),
  cells: z.array(SuggestionCellSchema),
});
export type Suggestion = z.infer<typeof SuggestionSchema>;

export const SuggestionSetStateSchema = z.enum(['analyzing', 'evaluating', 'ready', 'failed']);
export type SuggestionSetState = z.infer<typeof SuggestionSetStateSchema>;

/** One "Suggest fixes" request and what came of it. */
export const SuggestionSetSchema = z.object({
  id: z.string(),
  evaluation_id: z.string(),
  state: SuggestionSetStateSchema,
  error: z.string().nullable(),
  model: z.string(),
  /** sha256 of RUNBOOK.md the edits are made to (the evaluation's). */
  runbook_hash: z.string(),
  created_at: z.string(),
  ended_at: z.string().nullable(),
  /** Trials each edit's evaluation runs (the evaluation's own: cells × cases × trials). */
  trials_per_edit: z.number().int(),
  /** Offered and being evaluated first, in order; then the dropped ones. */
  suggestions: z.array(SuggestionSchema),
});
export type SuggestionSet = z.infer<typeof SuggestionSetSchema>;

const SetId = z.string().regex(/^[0-9a-f]{8}$/, 'a suggestion set id is 8 hex characters');

export const evaluationSuggestionMethods = {
  /** Runs the analysis agent over an ended evaluation's failed trials, then evaluates each edit it proposes (in the background). */
  'evaluation.suggest': method(z.object({ id: EvaluationIdSchema, model: z.string().min(1).max(256).optional() }), z.object({ set: z.string() })),
  /** An evaluation's suggestion sets, newest first. */
  'evaluation.suggestions': method(z.object({ id: EvaluationIdSchema }), z.array(SuggestionSetSchema)),
  /** Writes an evaluated suggestion's edit to RUNBOOK.md, if the file is still the text that was evaluated. */
  'evaluation.applySuggestion': method(z.object({ set: SetId, number: z.number().int().min(1).max(SUGGESTION_LIMITS.suggestions) }), z.object({ path: z.string(), hash: z.string() })),
} as const;

export const evaluationSuggestionEvents = {
  /** A suggestion set of evaluation `id` changed state (its re-evaluations' progress comes as `evaluation.changed` of theirs). */
  'evaluation.suggestionsChanged': z.object({ id: z.string(), set: z.string(), state: SuggestionSetStateSchema }),
} as const;
