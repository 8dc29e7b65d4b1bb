/**
 * ATIF (Harbor's Agent Trajectory Interchange Format) up to v1.7, written from the spec
 * (`rfcs/0001-trajectory-format.md`, `harbor/models/trajectories/*.py`): every object
 * forbids unknown keys (`extra="forbid"`), and the rules across fields are checked too
 * (sequential step ids, agent-only fields, observations naming a tool call of their step,
 * `llm_call_count` 0 without metrics or reasoning, subagent references naming a trajectory).
 * `atifIssues` collects every error, as Harbor's validator does.
 */
import { z } from 'zod';

export const ATIF_VERSION = 'ATIF-v1.7' as const;
export const ATIF_VERSIONS = ['ATIF-v1.0', 'ATIF-v1.1', 'ATIF-v1.2', 'ATIF-v1.3', 'ATIF-v1.4', 'ATIF-v1.5', 'ATIF-v1.6', 'ATIF-v1.7'] as const;

const Extra = z.record(z.string(), z.unknown());
export const IMAGE_MEDIA_TYPES = ['image/jpeg', 'image/png', 'image/gif', 'image/webp'] as const;

export const ContentPartSchema = z.union([
  z.strictObject({ type: z.literal('text'), text: z.string() }),
  z.strictObject({ type: z.literal('image'), source: z.strictObject({ media_type: z.enum(IMAGE_MEDIA_TYPES), path: z.string().min(1) }) }),
]);
export type AtifContentPart = z.infer<typeof ContentPartSchema>;
const Content = z.union([z.string(), z.array(ContentPartSchema)]);

const ToolDefinitionSchema = z.strictObject({
  type: z.literal('function'),
  function: z.strictObject({ name: z.string(), description: z.string().optional(), parameters: z.record(z.string(), z.unknown()).optional() }),
});

export const AgentSchema = z.strictObject({
  name: z.string(),
  version: z.string(),
  model_name: z.string().nullish(),
  tool_definitions: z.array(ToolDefinitionSchema).nullish(),
  extra: Extra.nullish(),
});
export type AtifAgent = z.infer<typeof AgentSchema>;

export const ToolCallSchema = z.strictObject({
  tool_call_id: z.string(),
  function_name: z.string(),
  arguments: z.record(z.string(), z.unknown()),
  extra: Extra.nullish(),
});
export type AtifToolCall = z.infer<typeof ToolCallSchema>;

const SubagentRefSchema = z
  .strictObject({ session_id: z.string().nullish(), trajectory_id: z.string().nullish(), trajectory_path: z.string().nullish(), extra: Extra.nullish() })
  .refine((r) => Boolean(r.trajectory_id || r.trajectory_path), 'a subagent reference names trajectory_id or trajectory_path (session_id alone is not enough)');

export const ObservationResultSchema = z.strictObject({
  source_call_id: z.string().nullish(),
  content: Content.nullish(),
  subagent_trajectory_ref: z.array(SubagentRefSchema).nullish(),
  extra: Extra.nullish(),
});
export type AtifObservationResult = z.infer<typeof ObservationResultSchema>;

export const MetricsSchema = z.strictObject({
  prompt_tokens: z.number().int().nonnegative().nullish(),
  completion_tokens: z.number().int().nonnegative().nullish(),
  cached_tokens: z.number().int().nonnegative().nullish(),
  cost_usd: z.number().nonnegative().nullish(),
  prompt_token_ids: z.array(z.number().int()).nullish(),
  completion_token_ids: z.array(z.number().int()).nullish(),
  logprobs: z.array(z.number()).nullish(),
  extra: Extra.nullish(),
});
export type AtifMetrics = z.infer<typeof MetricsSchema>;

export const StepSchema = z.strictObject({
  step_id: z.number().int().min(1),
  timestamp: z.string().refine((v) => !Number.isNaN(Date.parse(v)), 'an ISO 8601 timestamp').nullish(),
  source: z.enum(['system', 'user', 'agent']),
  message: Content,
  model_name: z.string().nullish(),
  reasoning_effort: z.union([z.string(), z.number()]).nullish(),
  reasoning_content: z.string().nullish(),
  tool_calls: z.array(ToolCallSchema).nullish(),
  observation: z.strictObject({ results: z.array(ObservationResultSchema) }).nullish(),
  metrics: MetricsSchema.nullish(),
  llm_call_count: z.number().int().nonnegative().nullish(),
  is_copied_context: z.boolean().nullish(),
  extra: Extra.nullish(),
});
export type AtifStep = z.infer<typeof StepSchema>;

export const FinalMetricsSchema = z.strictObject({
  total_prompt_tokens: z.number().int().nonnegative().nullish(),
  total_completion_tokens: z.number().int().nonnegative().nullish(),
  total_cached_tokens: z.number().int().nonnegative().nullish(),
  total_cost_usd: z.number().nonnegative().nullish(),
  total_steps: z.number().int().nonnegative().nullish(),
  extra: Extra.nullish(),
});
export type AtifFinalMetrics = z.infer<typeof FinalMetricsSchema>;

interface AtifShape {
  schema_version: (typeof ATIF_VERSIONS)[number];
  session_id?: string | null;
  trajectory_id?: string | null;
  agent: AtifAgent;
  steps: AtifStep[];
  notes?: string | null;
  final_metrics?: AtifFinalMetrics | null;
  continued_trajectory_ref?: string | null;
  extra?: Record<string, unknown> | null;
  subagent_trajectories?: AtifShape[] | null;
}

export const TrajectorySchema: z.ZodType<AtifShape> = z.lazy(() =>
  z.strictObject({
    schema_version: z.enum(ATIF_VERSIONS),
    session_id: z.string().nullish(),
    trajectory_id: z.string().nullish(),
    agent: AgentSchema,
    steps: z.array(StepSchema),
    notes: z.string().nullish(),
    final_metrics: FinalMetricsSchema.nullish(),
    continued_trajectory_ref: z.string().nullish(),
    extra: Extra.nullish(),
    subagent_trajectories: z.array(TrajectorySchema).nullish(),
  }),
);
export type AtifTrajectory = AtifShape;

const CONTEXT_TYPES = new Set(['compaction', 'pruning', 'injection']);
const CONTEXT_BOUNDARIES = new Set(['replace', 'append', 'truncate']);
const AGENT_ONLY = ['model_name', 'reasoning_effort', 'reasoning_content', 'tool_calls', 'metrics'] as const;

/** The rules across fields, for one trajectory (embedded ones under `at`). */
function ruleIssues(doc: AtifTrajectory, at: string): string[] {
  const issues: string[] = [];
  const version = ATIF_VERSIONS.indexOf(doc.schema_version);
  if (version < ATIF_VERSIONS.indexOf('ATIF-v1.7') && !doc.session_id) issues.push(`${at}session_id: required before ATIF-v1.7`);
  doc.steps.forEach((step, i) => {
    const where = `${at}steps[${i}]`;
    if (step.step_id !== i + 1) issues.push(`${where}.step_id: steps are numbered 1, 2, 3 … in order (expected ${i + 1}, got ${step.step_id})`);
    if (step.source !== 'agent') {
      for (const key of AGENT_ONLY) if (step[key] != null) issues.push(`${where}.${key}: only agent steps have it (source is ${step.source})`);
    }
    if (step.llm_call_count === 0 && (step.metrics != null || step.reasoning_content != null)) {
      issues.push(`${where}: llm_call_count 0 (deterministic dispatch) has no metrics or reasoning_content`);
    }
    const callIds = new Set((step.tool_calls ?? []).map((c) => c.tool_call_id));
    if (callIds.size !== (step.tool_calls ?? []).length) issues.push(`${where}.tool_calls: tool_call_id values repeat`);
    (step.observation?.results ?? []).forEach((result, j) => {
      if (result.source_call_id != null && !callIds.has(result.source_call_id)) {
        issues.push(`${where}.observation.results[${j}].source_call_id: '${result.source_call_id}' is no tool_call_id of this step`);
      }
    });
    const context = (step.extra as { context_management?: { type?: unknown; boundary?: unknown } } | null | undefined)?.context_management;
    if (context !== undefined) {
      if (step.source !== 'system') issues.push(`${where}.extra.context_management: only on a system step`);
      if (!CONTEXT_TYPES.has(String(context?.type)) || !CONTEXT_BOUNDARIES.has(String(context?.boundary))) {
        issues.push(`${where}.extra.context_management: type compaction|pruning|injection and boundary replace|append|truncate`);
      }
    }
  });
  const subIds = new Set<string>();
  (doc.subagent_trajectories ?? []).forEach((sub, i) => {
    const where = `${at}subagent_trajectories[${i}]`;
    if (!sub.trajectory_id) issues.push(`${where}.trajectory_id: required on an embedded subagent trajectory`);
    else if (subIds.has(sub.trajectory_id)) issues.push(`${where}.trajectory_id: '${sub.trajectory_id}' is not unique among its siblings`);
    else subIds.add(sub.trajectory_id);
    issues.push(...ruleIssues(sub, `${where}.`));
  });
  return issues;
}

const pathText = (path: readonly PropertyKey[]) =>
  path.map((p, i) => (typeof p === 'number' ? `[${p}]` : `${i === 0 ? '' : '.'}${String(p)}`)).join('') || '(document)';

/** An issue as lines; a union's (string or parts, text or image) as the issues of its closest alternative. */
function issueTexts(issue: z.core.$ZodIssue, prefix: PropertyKey[]): string[] {
  const at = [...prefix, ...issue.path];
  if (issue.code === 'invalid_union' && issue.errors.length > 0) {
    // The closest alternative got past the type check at this place (it went deeper), then has the fewest issues.
    const shallow = (branch: z.core.$ZodIssue[]) => branch.filter((i) => i.path.length === 0 && i.code === 'invalid_type').length;
    const closest = issue.errors.reduce((best, branch) => (shallow(branch) < shallow(best) || (shallow(branch) === shallow(best) && branch.length < best.length) ? branch : best));
    if (closest.length > 0) return closest.flatMap((inner) => issueTexts(inner, at));
  }
  const keys = issue.code === 'unrecognized_keys' ? ` (${issue.keys.join(', ')}: ATIF forbids unknown keys; put them in extra)` : '';
  return [`${pathText(at)}: ${issue.message}${keys}`];
}

/** Every way `doc` breaks ATIF (empty when it is a valid ATIF trajectory). */
export function atifIssues(doc: unknown): string[] {
  const parsed = TrajectorySchema.safeParse(doc);
  if (!parsed.success) return parsed.error.issues.flatMap((issue) => issueTexts(issue, []));
  return ruleIssues(parsed.data, '');
}

/** Whether a JSON document says it is ATIF (its `schema_version`). */
export const isAtifDocument = (doc: unknown): boolean =>
  typeof doc === 'object' && doc !== null && typeof (doc as { schema_version?: unknown }).schema_version === 'string' && (doc as { schema_version: string }).schema_version.startsWith('ATIF-');
