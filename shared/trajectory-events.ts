/**
 * The events of a trajectory as a tagged union on `type`: one payload schema per type,
 * written by every runtime and read by every view. Storage keeps the `{type, payload}`
 * shape of format 1; `upgradeEvent` (./trajectory-event-upgrade) turns format-1 payloads
 * into these.
 */
import { z } from 'zod';

export const EventLevelSchema = z.enum(['debug', 'info', 'warning', 'error']);
export type EventLevel = z.infer<typeof EventLevelSchema>;

export const TrajectoryStatusSchema = z.enum(['pending', 'running', 'completed', 'failed', 'cancelled', 'archived']);
export type TrajectoryStatus = z.infer<typeof TrajectoryStatusSchema>;
const count = z.number().int().nonnegative();
const maybeMs = z.number().nullable().optional();

export const UsageSchema = z.object({
  prompt_tokens: z.number().int(),
  completion_tokens: z.number().int(),
  total_tokens: z.number().int(),
  cost_usd: z.number().nullable().optional(),
});
export type Usage = z.infer<typeof UsageSchema>;

/** The MCP server a tool call went to and the tool's name on it (absent for an agent's own tools). */
const McpToolFields = { server: z.string().optional(), tool: z.string().optional() };

/** One payload schema per event type. */
export const EVENT_PAYLOADS = {
  /** What the agent (or a user) said. A codex plan is a message of kind `plan`. */
  message: z.object({ role: z.enum(['assistant', 'user', 'system']), text: z.string(), kind: z.literal('plan').optional() }),
  /** The agent's reasoning, as its runtime reports it. */
  reasoning: z.object({ text: z.string() }),
  /** A tool call; one through an MCP server names the server and the tool's own name there (`name` is the agent's, e.g. `mcp__docs__search`). */
  tool_call: z.object({ id: z.string(), name: z.string(), arguments: z.unknown(), ...McpToolFields }),
  tool_result: z.object({ id: z.string(), name: z.string(), ok: z.boolean(), output: z.string(), exit_code: z.number().int().nullable().optional(), ...McpToolFields }),
  command_output: z.object({ stream: z.enum(['stdout', 'stderr']), text: z.string(), tool_call_id: z.string().optional() }),
  file_change: z.object({ path: z.string(), kind: z.string(), diff: z.string().optional(), tool_call_id: z.string().optional() }),
  /** One model call as the gateway (a run's), the passthrough proxy or a workflow step made it. */
  model_call: z.object({
    source: z.enum(['gateway', 'passthrough', 'workflow']),
    api: z.string().optional(),
    provider: z.string().optional(),
    model: z.string().nullable(),
    stream: z.boolean().optional(),
    http_status: z.number().int().nullable().optional(),
    usage: UsageSchema.nullable(),
    cached_input_tokens: count.optional(),
    latency_ms: maybeMs,
    first_token_ms: maybeMs,
    cost_usd: z.number().nullable().optional(),
    error: z.string().nullable().optional(),
    /** A workflow step's call id and attempt. */
    call_id: z.string().optional(),
    attempt: z.number().int().optional(),
    /** Hash of the last node of the prompt's message chain (conversation storage). */
    prompt_ref: z.string().nullable().optional(),
    /** Hash of the completion message (conversation storage). */
    completion_ref: z.string().nullable().optional(),
  }),
  /** An agent's own report of what it used (the gateway's `model_call` events are the calls themselves). */
  usage: z.object({
    model: z.string(),
    usage: UsageSchema.nullable(),
    cached_input_tokens: count.optional(),
    reasoning_output_tokens: count.optional(),
    latency_ms: maybeMs,
    turns: count.optional(),
    tool_calls: count.optional(),
    cost_usd: z.number().nullable().optional(),
    attempt: z.number().int().optional(),
    finish_reason: z.string().nullable().optional(),
  }),
  /** The run's status (step null) or a step's. */
  status: z.object({
    status: TrajectoryStatusSchema,
    message: z.string().optional(),
    error: z.string().optional(),
    /** A child workflow's parent. */
    parent: z.string().optional(),
    parent_step: z.string().optional(),
    index: z.number().int().optional(),
  }),
  log: z.object({
    message: z.string(),
    session_id: z.string().optional(),
    run_anyway: z.boolean().optional(),
    upload_pending: count.optional(),
    location: z.string().optional(),
    missing_outputs: z.array(z.string()).optional(),
    primary_files: z.array(z.unknown()).optional(),
    /** A result file that held secrets. */
    path: z.string().optional(),
    secrets: z.array(z.string()).optional(),
    binary: z.boolean().optional(),
  }),
  /** Long work going on: an image build or pull, a workflow step's attempt. */
  progress: z.object({
    message: z.string(),
    phase: z.enum(['build', 'pull']).optional(),
    current: z.number().optional(),
    total: z.number().optional(),
    step: z.string().optional(),
    status: z.enum(['running', 'completed', 'failed', 'skipped', 'cancelled']).optional(),
    attempt: z.number().int().optional(),
    duration_ms: z.number().optional(),
    error: z.string().optional(),
    delay_ms: z.number().optional(),
  }),
  /** A failed request (a model request, a workflow step's attempt) about to be tried again; `max_attempts` is unknown for old workflow events. */
  retry: z.object({ what: z.string(), attempt: z.number().int(), max_attempts: z.number().int().optional(), delay_ms: z.number(), error: z.string() }),
  /** A workflow picked up again after its process stopped. */
  resume: z.object({ completed_steps: z.array(z.string()), resumed_at: z.string().nullable() }),
  artifact: z.object({
    path: z.string(),
    size: z.number().int(),
    sha256: z.string(),
    media_type: z.string(),
    redacted: z.array(z.string()).optional(),
  }),
  evaluation: z.object({
    overall_passed: z.boolean().nullable().optional(),
    pass: z.number().int().optional(),
    partial: z.number().int().optional(),
    fail: z.number().int().optional(),
    missing_outputs: z.array(z.string()).optional(),
    message: z.string().optional(),
  }),
} as const;

type Payloads = typeof EVENT_PAYLOADS;
export type EventType = keyof Payloads;
export const EVENT_TYPES = Object.keys(EVENT_PAYLOADS) as EventType[];
export const EventTypeSchema = z.enum(EVENT_TYPES as [EventType, ...EventType[]]);
export type EventPayload<T extends EventType> = z.infer<Payloads[T]>;

const EventBaseSchema = z.object({ seq: z.number().int(), time: z.string(), level: EventLevelSchema, step: z.string().nullable() });

const typed = <T extends EventType>(type: T) => z.object({ type: z.literal(type), payload: EVENT_PAYLOADS[type] });
const stored = <T extends EventType>(type: T) => EventBaseSchema.extend({ type: z.literal(type), payload: EVENT_PAYLOADS[type] });
type Union<V extends z.ZodObject> = z.ZodDiscriminatedUnion<[V, ...V[]], 'type'>;

/** `{type, payload}` of one event, checked against its type's schema. */
export const TypedEventSchema = z.discriminatedUnion('type', EVENT_TYPES.map(typed) as [ReturnType<typeof typed>]) as unknown as Union<
  { [T in EventType]: ReturnType<typeof typed<T>> }[EventType]
>;
/** The typed part of an event: `{type: 'tool_call', payload: {id, name, arguments}}` and so on. */
export type TypedEvent = { [T in EventType]: { type: T; payload: EventPayload<T> } }[EventType];

/** An event before it is stored (the store stamps seq and time). */
export type NewTrajectoryEvent = { level: EventLevel; step: string | null } & TypedEvent;

/** A stored event: seq, time, level, step and its typed part. */
export const TrajectoryEventSchema = z.discriminatedUnion('type', EVENT_TYPES.map(stored) as [ReturnType<typeof stored>]) as unknown as Union<
  { [T in EventType]: ReturnType<typeof stored<T>> }[EventType]
>;
export type TrajectoryEvent = z.infer<typeof EventBaseSchema> & TypedEvent;

/** Any event as stored or exported by any version: its payload is not checked. */
export const StoredEventSchema = EventBaseSchema.extend({ type: z.string(), payload: z.record(z.string(), z.unknown()) });
export type StoredEvent = z.infer<typeof StoredEventSchema>;
