import { z } from 'zod';
import {
  ArtifactSchema,
  EventLevelSchema,
  EvaluationSchema,
  LabelSchema,
  StepSchema,
  TRAJECTORY_FORMAT_VERSION,
  TrajectoryKindSchema,
  TrajectoryStatusSchema,
  UsageSchema,
  type TrajectoryEvent,
  type TrajectoryExport,
} from '../../../shared/trajectory';
import { upgradeEvent } from '../../../shared/trajectory-event-upgrade';
import type { StoredEvent } from '../../../shared/trajectory-events';

type Json = Record<string, unknown>;

const FINISHED = new Set(['completed', 'failed', 'cancelled', 'archived']);
/** A remote status after which nothing but labels changes. */
export const isFinished = (status: string): boolean => FINISHED.has(status);

const str = (v: unknown): string | null => (typeof v === 'string' ? v : null);
const obj = (v: unknown): Json => (typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Json) : {});
const parsed = <S extends z.ZodType>(schema: S, v: unknown): z.infer<S> | null => {
  const r = schema.safeParse(v);
  return r.success ? r.data : null;
};
const each = <S extends z.ZodType>(schema: S, v: unknown): z.infer<S>[] =>
  (Array.isArray(v) ? v : []).flatMap((x) => {
    const r = schema.safeParse(x);
    return r.success ? [r.data] : [];
  });

/** The remote id of a trajectory as the cloud names it (`trajectory_id`, else `id`). */
export const remoteIdOf = (t: Json): string => String(t.trajectory_id ?? t.id ?? '');

const LEVELS = new Set<string>(EventLevelSchema.options);

/**
 * One remote event in the stored shape (what StoredEventSchema takes: seq, time, level,
 * step, type, payload; `step` and `payload` default to null and {}), extra fields dropped;
 * null when it is not one. Checked by hand: a pull reads every event, and the store checks
 * each again against its type's schema when it stores it.
 */
function storedEvent(v: unknown): StoredEvent | null {
  const e = obj(v);
  const step = e.step ?? null;
  const payload = e.payload ?? {};
  const ok =
    typeof e.seq === 'number' &&
    Number.isSafeInteger(e.seq) &&
    typeof e.time === 'string' &&
    typeof e.level === 'string' &&
    LEVELS.has(e.level) &&
    typeof e.type === 'string' &&
    (step === null || typeof step === 'string') &&
    typeof payload === 'object' &&
    payload !== null &&
    !Array.isArray(payload);
  return ok ? ({ seq: e.seq, time: e.time, level: e.level, step, type: e.type, payload } as StoredEvent) : null;
}

/** Events in strictly increasing sequence order from 1 (the cloud's `events[]`, extra fields dropped, unreadable ones and ones out of order skipped). */
export function remoteEvents(t: Json): TrajectoryEvent[] {
  const events: TrajectoryEvent[] = [];
  for (const raw of Array.isArray(t.events) ? t.events : []) {
    const event = storedEvent(raw);
    if (event && event.seq > (events.at(-1)?.seq ?? 0)) events.push(upgradeEvent(event));
  }
  return events;
}

/** Steps keyed by name, each read tolerantly (inputs/outputs default to {}). */
export function remoteSteps(t: Json): Record<string, z.infer<typeof StepSchema>> {
  const steps: Record<string, z.infer<typeof StepSchema>> = {};
  for (const [name, raw] of Object.entries(obj(t.steps))) {
    const step = parsed(StepSchema, { inputs: {}, outputs: {}, ...obj(raw) });
    if (step) steps[name] = step;
  }
  return steps;
}

/**
 * A remote trajectory (the cloud's shape, *inferred* parts read tolerantly: unknown
 * fields ignored, unreadable ones defaulted) as an export document this store imports.
 */
export function exportFromRemote(t: Json, collection: string, task: string): TrajectoryExport {
  const created = str(t.created_at) ?? new Date().toISOString();
  return {
    format_version: TRAJECTORY_FORMAT_VERSION,
    id: remoteIdOf(t),
    collection,
    task,
    kind: parsed(TrajectoryKindSchema, t.kind) ?? 'runbook',
    status: parsed(TrajectoryStatusSchema, t.status) ?? 'pending',
    error: str(t.error),
    init_params: obj(t.init_params),
    agent: str(t.agent),
    model: str(t.model),
    created_at: created,
    started_at: str(t.started_at),
    ended_at: str(t.ended_at),
    usage: parsed(UsageSchema, t.usage),
    evaluation: parsed(EvaluationSchema, t.evaluation),
    steps: remoteSteps(t),
    labels: each(LabelSchema, t.labels),
    artifacts: each(ArtifactSchema, t.artifacts),
    events: remoteEvents(t),
  };
}
