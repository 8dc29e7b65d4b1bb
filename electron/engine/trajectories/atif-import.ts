/**
 * An ATIF document as a Jetty trajectory export (the reverse of atif-export.ts): a system
 * or user step becomes a `message` of that role; an agent step a `model_call` (its metrics
 * as usage), then its reasoning, its text, its tool calls and its observation's results as
 * tool results, each at the step's time, so it replays like a local run. `extra.jetty`
 * (written by our export) gives back the header; everything else ATIF holds that events
 * cannot is kept in the `import` step, and comes back out on export.
 */
import { toName } from '../../../shared/names';
import type { Artifact, TrajectoryEvent, TrajectoryExport } from '../../../shared/trajectory';
import { TRAJECTORY_FORMAT_VERSION } from '../../../shared/trajectory';
import { ATIF_ARTIFACT_PREFIX, ATIF_IMPORT_STEP, type AtifImportRecord, type StepFields } from './atif-export';
import { atifIssues, type AtifContentPart, type AtifStep, type AtifTrajectory } from './atif-schema';

/** An ATIF document that breaks the format: every issue found, the first ones in the message. */
export class InvalidAtifError extends Error {
  constructor(readonly issues: string[]) {
    super(`not a valid ATIF trajectory: ${issues.slice(0, 5).join('; ')}${issues.length > 5 ? ` (and ${issues.length - 5} more)` : ''}`);
    this.name = 'InvalidAtifError';
  }
}

export interface AtifImportOptions {
  /** Where a document without Jetty's own extra goes (default `imported`, and the agent's name). */
  collection?: string;
  task?: string;
  /** The image files found beside the document, by the path the document names them with. */
  images?: ReadonlyMap<string, Pick<Artifact, 'size' | 'sha256' | 'media_type'>>;
}

const textOf = (content: string | AtifContentPart[] | null | undefined): string =>
  typeof content === 'string' ? content : (content ?? []).map((p) => (p.type === 'text' ? p.text : `[image ${p.source.path}]`)).join('\n');

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const pick = <T extends object, K extends keyof T>(o: T, keys: K[]): Partial<Pick<T, K>> =>
  Object.fromEntries(keys.filter((k) => o[k] !== undefined && o[k] !== null).map((k) => [k, o[k]])) as Partial<Pick<T, K>>;

/** What of a step has no event: kept in the import step (only what is there). */
function fieldsOf(step: AtifStep): StepFields | null {
  const fields: StepFields = pick(step, ['extra', 'reasoning_effort', 'llm_call_count', 'is_copied_context']);
  if (step.timestamp == null) fields.timestamp = null;
  if (Array.isArray(step.message)) fields.message = step.message;
  const metrics = step.metrics ? pick(step.metrics, ['prompt_token_ids', 'completion_token_ids', 'logprobs', 'extra']) : {};
  if (Object.keys(metrics).length) fields.metrics = metrics;
  if (step.tool_calls?.some((c) => c.extra)) fields.tool_call_extra = step.tool_calls.map((c) => c.extra ?? null);
  const results = step.observation?.results ?? [];
  if (results.some((r) => r.extra || r.subagent_trajectory_ref || Array.isArray(r.content))) {
    fields.results = results.map((r) => ({ ...pick(r, ['extra', 'subagent_trajectory_ref']), ...(Array.isArray(r.content) ? { content: r.content } : {}) }));
  }
  return Object.keys(fields).length ? fields : null;
}

/** The images a document names by a relative path (those to read from beside it). */
export function atifImagePaths(doc: AtifTrajectory): string[] {
  const paths = new Set<string>();
  for (const step of doc.steps) {
    for (const content of [step.message, ...(step.observation?.results ?? []).map((r) => r.content)]) {
      for (const part of Array.isArray(content) ? content : []) {
        if (part.type === 'image' && !/^[a-z][a-z0-9+.-]*:/i.test(part.source.path) && !part.source.path.startsWith('/')) paths.add(part.source.path);
      }
    }
  }
  return [...paths];
}

/** Validates an ATIF document (InvalidAtifError naming its issues) and turns it into a Jetty export. */
export function atifToExport(input: unknown, options: AtifImportOptions = {}): TrajectoryExport {
  const issues = atifIssues(input);
  if (issues.length > 0) throw new InvalidAtifError(issues);
  const doc = input as AtifTrajectory;
  const { jetty: jettyRaw, ...otherExtra } = doc.extra ?? {};
  const jetty = (isObject(jettyRaw) ? jettyRaw : {}) as Partial<TrajectoryExport> & { trajectory_id?: string };
  const events: TrajectoryEvent[] = [];
  const stepFields: Record<string, StepFields> = {};
  const firstTime = doc.steps.find((s) => s.timestamp)?.timestamp ?? new Date().toISOString();
  let time = firstTime;
  const add = (e: Omit<TrajectoryEvent, 'seq' | 'time' | 'level'> & { level?: TrajectoryEvent['level'] }) =>
    events.push({ level: 'info', ...e, seq: events.length + 1, time } as TrajectoryEvent);
  for (const step of doc.steps) {
    time = step.timestamp ?? time;
    const fields = fieldsOf(step);
    if (fields) stepFields[String(step.step_id)] = fields;
    if (step.source !== 'agent') {
      add({ type: 'message', step: null, payload: { role: step.source, text: textOf(step.message) } });
      for (const result of step.observation?.results ?? []) {
        add({ type: 'tool_result', step: null, payload: { id: result.source_call_id ?? '', name: '', ok: true, output: textOf(result.content) } });
      }
      continue;
    }
    const m = step.metrics;
    const usage = m && (m.prompt_tokens != null || m.completion_tokens != null)
      ? { prompt_tokens: m.prompt_tokens ?? 0, completion_tokens: m.completion_tokens ?? 0, total_tokens: (m.prompt_tokens ?? 0) + (m.completion_tokens ?? 0) }
      : null;
    const timing = (m?.extra ?? {}) as { latency_ms?: unknown; first_token_ms?: unknown };
    add({
      type: 'model_call',
      step: 'agent',
      payload: {
        source: 'gateway',
        model: step.model_name ?? null,
        usage,
        ...(m?.cached_tokens != null ? { cached_input_tokens: m.cached_tokens } : {}),
        ...(m?.cost_usd != null ? { cost_usd: m.cost_usd } : {}),
        ...(typeof timing.latency_ms === 'number' ? { latency_ms: timing.latency_ms } : {}),
        ...(typeof timing.first_token_ms === 'number' ? { first_token_ms: timing.first_token_ms } : {}),
      },
    });
    if (step.reasoning_content) add({ type: 'reasoning', step: 'agent', payload: { text: step.reasoning_content } });
    const text = textOf(step.message);
    if (text) add({ type: 'message', step: 'agent', payload: { role: 'assistant', text } });
    for (const call of step.tool_calls ?? []) {
      const raw = (call.extra as { raw_arguments?: unknown } | null | undefined)?.raw_arguments;
      add({ type: 'tool_call', step: 'agent', payload: { id: call.tool_call_id, name: call.function_name, arguments: raw ?? call.arguments } });
    }
    for (const result of step.observation?.results ?? []) {
      const call = step.tool_calls?.find((c) => c.tool_call_id === result.source_call_id);
      add({ type: 'tool_result', step: 'agent', payload: { id: result.source_call_id ?? '', name: call?.function_name ?? '', ok: true, output: textOf(result.content) } });
    }
  }
  const record: Omit<AtifImportRecord, 'step_fields'> = {
    format: doc.schema_version,
    agent: doc.agent,
    session_id: doc.session_id ?? null,
    trajectory_id: doc.trajectory_id ?? null,
    notes: doc.notes ?? null,
    extra: Object.keys(otherExtra).length ? otherExtra : null,
    continued_trajectory_ref: doc.continued_trajectory_ref ?? null,
    subagent_trajectories: doc.subagent_trajectories ?? null,
    final_metrics_extra: doc.final_metrics?.extra ?? null,
  };
  const images: Artifact[] = [...(options.images ?? new Map())].map(([path, file]) => ({ path: `${ATIF_ARTIFACT_PREFIX}${path}`, ...file }));
  const fm = doc.final_metrics;
  const usage = fm && (fm.total_prompt_tokens != null || fm.total_completion_tokens != null)
    ? { prompt_tokens: fm.total_prompt_tokens ?? 0, completion_tokens: fm.total_completion_tokens ?? 0, total_tokens: (fm.total_prompt_tokens ?? 0) + (fm.total_completion_tokens ?? 0), cost_usd: fm.total_cost_usd ?? null }
    : null;
  return {
    format_version: TRAJECTORY_FORMAT_VERSION,
    id: jetty.trajectory_id ?? doc.trajectory_id ?? doc.session_id ?? '',
    collection: jetty.collection ?? toName(options.collection ?? 'imported', 'imported'),
    task: jetty.task ?? toName(options.task ?? doc.agent.name, 'trajectory'),
    kind: jetty.kind ?? 'runbook',
    status: jetty.status ?? 'completed',
    error: jetty.error ?? null,
    init_params: jetty.init_params ?? {},
    agent: jetty.agent !== undefined ? jetty.agent : doc.agent.name,
    model: jetty.model !== undefined ? jetty.model : (doc.agent.model_name ?? null),
    created_at: jetty.created_at ?? firstTime,
    started_at: jetty.started_at !== undefined ? jetty.started_at : firstTime,
    ended_at: jetty.ended_at !== undefined ? jetty.ended_at : time,
    usage: jetty.usage !== undefined ? jetty.usage : usage,
    evaluation: jetty.evaluation ?? null,
    labels: jetty.labels ?? [],
    artifacts: [...(jetty.artifacts ?? []), ...images],
    steps: {
      ...(jetty.steps ?? {}),
      [ATIF_IMPORT_STEP]: {
        status: 'completed',
        inputs: record as unknown as Record<string, unknown>,
        outputs: { steps: doc.steps.length, step_fields: stepFields },
        started_at: null,
        ended_at: null,
      },
    },
    events,
  };
}
