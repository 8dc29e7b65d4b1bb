import { z } from 'zod';
import { TRAJECTORY_FORMAT_VERSION, type TrajectoryExport } from '../../../shared/trajectory';
import { StoreError } from '../store';
import { atifToExport, InvalidAtifError } from './atif-import';
import { isAtifDocument } from './atif-schema';

/** The run summary the cloud writes as `trajectory.json` beside a runbook's examples. */
const CloudSummarySchema = z.object({
  collection: z.string(),
  task: z.string(),
  trajectory_id: z.string().regex(/^[0-9a-f]{8}$/),
  agent: z.string().nullish(),
  model: z.string().nullish(),
  snapshot: z.string().nullish(),
  ran_at: z.string(),
  duration_seconds: z.number().nullish(),
  status: z.enum(['pending', 'running', 'completed', 'failed', 'cancelled', 'archived']),
  eval: z.record(z.string(), z.unknown()).nullish(),
  primary_files: z.array(z.string()).nullish(),
  notes: z.string().nullish(),
  url: z.string().nullish(),
});

const isCloudSummary = (doc: unknown): boolean =>
  typeof doc === 'object' && doc !== null && 'trajectory_id' in doc && !('events' in doc);

const count = (v: unknown) => (typeof v === 'number' && Number.isFinite(v) ? Math.max(0, Math.trunc(v)) : 0);

/**
 * Turns a cloud run summary into an export document, so it opens in the same viewer:
 * what it holds (status, timings, agent, model, evaluation, notes, files) and no more.
 */
export function exportFromCloudSummary(doc: unknown): TrajectoryExport {
  const s = CloudSummarySchema.parse(doc);
  const started = new Date(s.ran_at);
  const ended = s.duration_seconds == null ? null : new Date(started.getTime() + s.duration_seconds * 1000).toISOString();
  const ev = s.eval ?? null;
  const note = [s.notes, s.url ? `cloud: ${s.url}` : null].filter(Boolean).join('\n');
  return {
    format_version: TRAJECTORY_FORMAT_VERSION,
    id: s.trajectory_id,
    collection: s.collection,
    task: s.task,
    kind: 'runbook',
    status: s.status,
    error: null,
    init_params: s.snapshot ? { snapshot: s.snapshot } : {},
    agent: s.agent ?? null,
    model: s.model ?? null,
    created_at: started.toISOString(),
    started_at: started.toISOString(),
    ended_at: ended,
    usage: null,
    evaluation: ev
      ? {
          overall_passed: typeof ev.overall_passed === 'boolean' ? ev.overall_passed : null,
          pass: count(ev.pass),
          partial: count(ev.partial),
          fail: count(ev.fail),
          report: ev,
        }
      : null,
    steps: {},
    labels: [],
    artifacts: [],
    events: note
      ? [{ seq: 1, time: started.toISOString(), level: 'info', type: 'log', step: null, payload: { message: note, primary_files: s.primary_files ?? [] } }]
      : [],
  };
}

/** An ATIF document as an export, its issues a store refusal (invalid_input) naming them. */
function exportFromAtif(doc: unknown): TrajectoryExport {
  try {
    return atifToExport(doc);
  } catch (error) {
    if (error instanceof InvalidAtifError) throw new StoreError('invalid_input', error.message);
    throw error;
  }
}

/** What to hand the store's import: an export document as is, a cloud run summary or an ATIF trajectory converted. */
export const importableDocument = (doc: unknown): unknown => (isAtifDocument(doc) ? exportFromAtif(doc) : isCloudSummary(doc) ? exportFromCloudSummary(doc) : doc);
