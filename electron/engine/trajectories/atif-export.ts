/**
 * A Jetty trajectory as an ATIF document (atif-schema.ts). The steps come from the events:
 * a `system` or `user` message is a step of that source; each model call opens an `agent`
 * step (its usage the step's metrics) holding the reasoning, the assistant's text and tool
 * calls that follow, and each tool result is an observation of the step that called it.
 * A run whose first prompt was recorded gets its system prompt and instruction from it,
 * and its declared tools are the agent's `tool_definitions`. What ATIF has no field for
 * (status, labels, evaluation, parameters, artifacts, Jetty's steps) is `extra.jetty`;
 * what an imported ATIF document held that events cannot (its agent, its extras) comes
 * back from the `import` step (atif-import.ts), so export → import → export is stable.
 */
import { createHash } from 'node:crypto';
import type { ChatEntry, ConversationEntry } from '../../../shared/conversation';
import type { TrajectoryEvent, TrajectoryExport } from '../../../shared/trajectory';
import type { EventPayload } from '../../../shared/trajectory-events';
import { VERSION } from '../base/version';
import {
  ATIF_VERSION,
  IMAGE_MEDIA_TYPES,
  type AtifAgent,
  type AtifContentPart,
  type AtifMetrics,
  type AtifObservationResult,
  type AtifStep,
  type AtifTrajectory,
} from './atif-schema';

/** The Jetty step an imported ATIF document's own metadata is kept in. */
export const ATIF_IMPORT_STEP = 'import';
/** Where an imported document's image files are kept among the trajectory's artifacts. */
export const ATIF_ARTIFACT_PREFIX = 'atif/';

/** What an ATIF import keeps that events cannot hold (the `import` step's inputs and outputs). */
export interface AtifImportRecord {
  format: string;
  agent: AtifAgent;
  session_id: string | null;
  trajectory_id: string | null;
  notes: string | null;
  extra: Record<string, unknown> | null;
  continued_trajectory_ref: string | null;
  subagent_trajectories: unknown[] | null;
  final_metrics_extra: Record<string, unknown> | null;
  /** By step id: the fields of each step that have no event (extras, token ids, content parts, flags). */
  step_fields: Record<string, StepFields>;
}

/** The fields of one ATIF step kept beside its events. */
export interface StepFields {
  timestamp?: string | null;
  message?: AtifContentPart[];
  extra?: Record<string, unknown> | null;
  reasoning_effort?: string | number | null;
  llm_call_count?: number | null;
  is_copied_context?: boolean | null;
  metrics?: Pick<AtifMetrics, 'prompt_token_ids' | 'completion_token_ids' | 'logprobs' | 'extra'>;
  tool_call_extra?: (Record<string, unknown> | null)[];
  results?: Pick<AtifObservationResult, 'extra' | 'subagent_trajectory_ref' | 'content'>[];
}

/** An image the document names, to be written beside it: its bytes, or an artifact of the trajectory holding them. */
export interface AtifImage {
  path: string;
  media_type: string;
  source: { kind: 'bytes'; bytes: Buffer } | { kind: 'artifact'; path: string };
}

export interface AtifExport {
  document: AtifTrajectory;
  images: AtifImage[];
}

type EventOf<T extends TrajectoryEvent['type']> = Extract<TrajectoryEvent, { type: T }>;

/** The prompts and completions a trajectory's conversation holds, by reference. */
function conversationIndex(doc: TrajectoryExport) {
  const messages = new Map((doc.conversation?.messages ?? []).map((m) => [m.hash, m.body]));
  const nodes = new Map((doc.conversation?.nodes ?? []).map((n) => [n.hash, n]));
  return {
    prompt(ref: string | null | undefined): ConversationEntry[] | null {
      const chain: ConversationEntry[] = [];
      for (let node = ref ? nodes.get(ref) : undefined, n = 0; node && n <= nodes.size; node = nodes.get(node.parent_hash), n++) {
        const body = messages.get(node.message_hash);
        if (!body) return null;
        chain.unshift(body);
        if (node.parent_hash === '') return chain;
      }
      return null;
    },
  };
}

const EXTENSION: Record<string, string> = { 'image/png': 'png', 'image/jpeg': 'jpg', 'image/gif': 'gif', 'image/webp': 'webp' };

/** The user content of a recorded prompt as ATIF content: text alone as a string, with images as parts (their bytes written beside). */
function userContent(entry: Extract<ChatEntry, { role: 'user' }>, images: AtifImage[]): string | AtifContentPart[] {
  if (entry.content.every((p) => p.type === 'text')) return entry.content.map((p) => (p.type === 'text' ? p.text : '')).join('\n');
  return entry.content.map((part): AtifContentPart => {
    if (part.type === 'text') return { type: 'text', text: part.text };
    if (part.source.kind === 'url') return { type: 'image', source: { media_type: 'image/png', path: part.source.url } };
    const mediaType = ((IMAGE_MEDIA_TYPES as readonly string[]).includes(part.source.mediaType) ? part.source.mediaType : 'image/png') as (typeof IMAGE_MEDIA_TYPES)[number];
    const bytes = Buffer.from(part.source.data, 'base64');
    const path = `images/${createHash('sha256').update(bytes).digest('hex').slice(0, 16)}.${EXTENSION[mediaType]}`;
    if (!images.some((i) => i.path === path)) images.push({ path, media_type: mediaType, source: { kind: 'bytes', bytes } });
    return { type: 'image', source: { media_type: mediaType, path } };
  });
}

const defined = <T extends Record<string, unknown>>(o: T): T => Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined && v !== null)) as T;

function metricsOf(e: EventOf<'model_call'> | EventOf<'usage'>): AtifMetrics | undefined {
  const p = e.payload;
  if (!p.usage) return undefined;
  const cost = p.cost_usd ?? p.usage.cost_usd;
  const extra = e.type === 'model_call' ? defined({ latency_ms: p.latency_ms ?? undefined, first_token_ms: (p as EventPayload<'model_call'>).first_token_ms ?? undefined }) : {};
  return defined({
    prompt_tokens: p.usage.prompt_tokens,
    completion_tokens: p.usage.completion_tokens,
    cached_tokens: p.cached_input_tokens,
    cost_usd: typeof cost === 'number' ? cost : undefined,
    extra: Object.keys(extra).length ? extra : undefined,
  });
}

/** Tool call arguments as ATIF's object: parsed JSON, or the raw text under `extra` when it is not an object. */
function callArguments(args: unknown): { arguments: Record<string, unknown>; extra?: Record<string, unknown> } {
  if (typeof args === 'object' && args !== null && !Array.isArray(args)) return { arguments: args as Record<string, unknown> };
  return { arguments: {}, extra: { raw_arguments: args } };
}

/** The import record an ATIF import left in the trajectory, if any. */
export function importRecordOf(doc: Pick<TrajectoryExport, 'steps'>): AtifImportRecord | null {
  const step = doc.steps[ATIF_IMPORT_STEP];
  const inputs = step?.inputs as Partial<AtifImportRecord> | undefined;
  if (!inputs || typeof inputs.format !== 'string' || !inputs.format.startsWith('ATIF-') || !inputs.agent) return null;
  return { ...(inputs as AtifImportRecord), step_fields: ((step.outputs as { step_fields?: AtifImportRecord['step_fields'] }).step_fields ?? {}) };
}

/** Lays what an imported document held beyond events over a step rebuilt from them. */
function withStepFields(step: AtifStep, fields: StepFields | undefined): AtifStep {
  if (!fields) return step;
  const out: AtifStep = { ...step };
  if (fields.timestamp === null) delete out.timestamp;
  else if (fields.timestamp !== undefined) out.timestamp = fields.timestamp;
  if (fields.message) out.message = fields.message;
  for (const key of ['extra', 'reasoning_effort', 'llm_call_count', 'is_copied_context'] as const) if (fields[key] != null) (out as Record<string, unknown>)[key] = fields[key];
  if (fields.metrics && out.metrics) out.metrics = { ...out.metrics, ...defined(fields.metrics) };
  else if (fields.metrics && Object.keys(defined(fields.metrics)).length) out.metrics = defined(fields.metrics);
  if (fields.tool_call_extra && out.tool_calls) out.tool_calls = out.tool_calls.map((c, i) => (fields.tool_call_extra?.[i] ? { ...c, extra: fields.tool_call_extra[i] } : c));
  if (fields.results && out.observation) {
    out.observation = { results: out.observation.results.map((r, i) => ({ ...r, ...defined(fields.results?.[i] ?? {}) })) };
  }
  return out;
}

/** The agent steps and system/user steps of a trajectory's events (see the file's comment). */
function stepsOf(doc: TrajectoryExport, images: AtifImage[]): { steps: AtifStep[]; firstPrompt: ConversationEntry[] | null } {
  const conversation = conversationIndex(doc);
  const events = doc.events;
  const opener: 'model_call' | 'usage' | null = events.some((e) => e.type === 'model_call') ? 'model_call' : events.some((e) => e.type === 'usage') ? 'usage' : null;
  const firstCall = events.find((e): e is EventOf<'model_call'> => e.type === 'model_call');
  const firstPrompt = firstCall ? conversation.prompt(firstCall.payload.prompt_ref) : null;
  const steps: AtifStep[] = [];
  const spoken = events.some((e) => e.type === 'message' && e.payload.role !== 'assistant');
  if (!spoken && firstPrompt && firstCall) {
    // The run's system prompt and instruction, as its first model call got them.
    for (const entry of firstPrompt) {
      if (entry.role === 'assistant') break;
      if (entry.role === 'system') steps.push({ step_id: 0, timestamp: firstCall.time, source: 'system', message: entry.text });
      if (entry.role === 'user') steps.push({ step_id: 0, timestamp: firstCall.time, source: 'user', message: userContent(entry, images) });
    }
  }
  let current: AtifStep | null = null;
  const open = (e: TrajectoryEvent, metrics?: AtifMetrics, model?: string | null): AtifStep => {
    current = defined({ step_id: 0, timestamp: e.time, source: 'agent' as const, message: '', model_name: model ?? undefined, metrics }) as AtifStep;
    steps.push(current);
    return current;
  };
  const agentStep = (e: TrajectoryEvent): AtifStep => (current && !(opener === null && current.observation) ? current : open(e));
  for (const e of events) {
    switch (e.type) {
      case 'message': {
        if (e.payload.role !== 'assistant') {
          current = null;
          steps.push({ step_id: 0, timestamp: e.time, source: e.payload.role, message: e.payload.text });
          break;
        }
        const step = agentStep(e);
        step.message = step.message ? `${String(step.message)}\n\n${e.payload.text}` : e.payload.text;
        break;
      }
      case 'model_call':
      case 'usage':
        if (e.type === opener) open(e, metricsOf(e), e.payload.model);
        break;
      case 'reasoning': {
        const step = agentStep(e);
        step.reasoning_content = step.reasoning_content ? `${step.reasoning_content}\n\n${e.payload.text}` : e.payload.text;
        break;
      }
      case 'tool_call': {
        const step = agentStep(e);
        const args = callArguments(e.payload.arguments);
        step.tool_calls = [...(step.tool_calls ?? []), { tool_call_id: e.payload.id, function_name: e.payload.name, ...args }];
        break;
      }
      case 'tool_result': {
        // The step that made the call; a result of no call belongs to the step before it (a system step's observation).
        const caller = [...steps].reverse().find((s) => s.tool_calls?.some((c) => c.tool_call_id === e.payload.id));
        const step = caller ?? current ?? steps.at(-1) ?? agentStep(e);
        const result: AtifObservationResult = caller ? { source_call_id: e.payload.id, content: e.payload.output } : { content: e.payload.output };
        step.observation = { results: [...(step.observation?.results ?? []), result] };
        break;
      }
      default:
        break;
    }
  }
  return { steps, firstPrompt };
}

const sum = (steps: AtifStep[], key: 'prompt_tokens' | 'completion_tokens' | 'cached_tokens' | 'cost_usd'): number | undefined => {
  const values = steps.map((s) => s.metrics?.[key]).filter((v): v is number => typeof v === 'number');
  // Costs are summed to a billionth of a dollar, so a sum reads as its parts do (0.01095, not 0.010949999999999998).
  return values.length ? Math.round(values.reduce((a, b) => a + b, 0) * 1e9) / 1e9 : undefined;
};

/** What ATIF has no field for: the trajectory's header, labels, evaluation and Jetty steps (the import step aside). */
function jettyExtra(doc: TrajectoryExport): Record<string, unknown> {
  const { [ATIF_IMPORT_STEP]: _import, ...steps } = doc.steps;
  return {
    trajectory_id: doc.id,
    collection: doc.collection,
    task: doc.task,
    kind: doc.kind,
    status: doc.status,
    error: doc.error ?? null,
    init_params: doc.init_params,
    agent: doc.agent,
    model: doc.model,
    created_at: doc.created_at,
    started_at: doc.started_at,
    ended_at: doc.ended_at,
    usage: doc.usage,
    evaluation: doc.evaluation,
    labels: doc.labels,
    artifacts: doc.artifacts.filter((a) => !a.path.startsWith(ATIF_ARTIFACT_PREFIX)),
    steps,
  };
}

/** The ATIF document of a trajectory's export, with the images it names. */
export function exportToAtif(doc: TrajectoryExport): AtifExport {
  const images: AtifImage[] = [];
  const imported = importRecordOf(doc);
  const { steps: rebuilt, firstPrompt } = stepsOf(doc, images);
  const steps = rebuilt.map((step, i) => withStepFields({ ...step, step_id: i + 1 }, imported?.step_fields[String(i + 1)]));
  // An imported document's images are the trajectory's artifacts under ATIF_ARTIFACT_PREFIX.
  for (const step of steps) {
    const parts = [step.message, ...(step.observation?.results ?? []).map((r) => r.content)].flatMap((c) => (Array.isArray(c) ? c : []));
    for (const part of parts) {
      if (part.type !== 'image' || images.some((i) => i.path === part.source.path)) continue;
      const artifact = `${ATIF_ARTIFACT_PREFIX}${part.source.path}`;
      if (doc.artifacts.some((a) => a.path === artifact)) images.push({ path: part.source.path, media_type: part.source.media_type, source: { kind: 'artifact', path: artifact } });
    }
  }
  const declared = firstPrompt?.flatMap((e) => (e.role === 'tools' ? e.tools : [])) ?? [];
  const agent: AtifAgent = imported?.agent ?? {
    name: doc.agent ?? 'jetty',
    version: VERSION,
    ...(doc.model ? { model_name: doc.model } : {}),
    ...(declared.length
      ? { tool_definitions: declared.map((t) => ({ type: 'function' as const, function: defined({ name: t.name, description: t.description, parameters: t.parameters }) })) }
      : {}),
  };
  const finalMetrics = defined({
    total_prompt_tokens: sum(steps, 'prompt_tokens'),
    total_completion_tokens: sum(steps, 'completion_tokens'),
    total_cached_tokens: sum(steps, 'cached_tokens'),
    total_cost_usd: sum(steps, 'cost_usd'),
    total_steps: steps.length,
    extra: imported?.final_metrics_extra ?? undefined,
  });
  const document: AtifTrajectory = defined({
    schema_version: ATIF_VERSION,
    // An imported document keeps its own ids (the local one is extra.jetty.trajectory_id).
    session_id: imported ? (imported.session_id ?? undefined) : doc.id,
    trajectory_id: imported?.trajectory_id ?? doc.id,
    agent,
    steps,
    notes: imported?.notes ?? undefined,
    final_metrics: finalMetrics,
    continued_trajectory_ref: imported?.continued_trajectory_ref ?? undefined,
    extra: { ...(imported?.extra ?? {}), jetty: jettyExtra(doc) },
    subagent_trajectories: (imported?.subagent_trajectories as AtifTrajectory[] | null) ?? undefined,
  });
  return { document, images };
}
