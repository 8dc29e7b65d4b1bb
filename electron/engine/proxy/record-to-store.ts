import { TRAJECTORY_FORMAT_VERSION, type TrajectoryExport } from '../../../shared/trajectory';
import type { Store } from '../store';
import { summariseCall, summariseCallRaw, type CapturedCall, type PassthroughRecord } from './call-summary';

/** Passthrough trajectories live in this collection, one task per provider. */
export const PASSTHROUGH_COLLECTION = 'passthrough';
/** The one step of a passthrough trajectory: the request as its input, the response as its output. */
export const PASSTHROUGH_STEP = 'completion';

/** A recorded call in the cloud's trajectory shape. */
export function passthroughTrajectory(record: PassthroughRecord): TrajectoryExport {
  const timing = { http_status: record.httpStatus, latency_ms: record.latencyMs, first_token_ms: record.firstTokenMs };
  return {
    format_version: TRAJECTORY_FORMAT_VERSION,
    id: record.id,
    collection: PASSTHROUGH_COLLECTION,
    task: record.provider,
    kind: 'passthrough',
    status: record.status,
    error: record.error,
    init_params: {
      model: record.model,
      stream: record.stream,
      ...(record.api === 'chat-completions' ? {} : { api: record.api }),
      ...(record.runId ? { run_id: record.runId } : {}),
    },
    agent: null,
    model: record.model,
    created_at: record.startedAt,
    started_at: record.startedAt,
    ended_at: record.endedAt,
    usage: record.usage,
    evaluation: null,
    steps: {
      [PASSTHROUGH_STEP]: {
        status: record.status,
        inputs: { request: record.request },
        outputs: { response: record.response, ...timing },
        started_at: record.startedAt,
        ended_at: record.endedAt,
      },
    },
    labels: [],
    artifacts: [],
    events: [
      {
        seq: 1,
        time: record.endedAt,
        level: record.status === 'completed' ? 'info' : 'error',
        type: 'model_call',
        step: PASSTHROUGH_STEP,
        payload: { source: 'passthrough', provider: record.provider, model: record.model, stream: record.stream, usage: record.usage, error: record.error, ...timing },
      },
    ],
  };
}

/** A call that could not be recorded, and why. */
export interface CallFailure {
  id: string;
  reason: string;
}

/** What storing a batch of calls came to. */
export interface StoredCalls {
  /** Ids stored now. */
  ids: string[];
  failures: CallFailure[];
  /** The disk is full: the batch was not (wholly) stored and should be tried again later. */
  diskFull: boolean;
}

const reasonOf = (error: unknown): string => (error instanceof Error ? error.message : String(error));

/** The call's trajectory, from its parsed bodies, or from their text when they cannot be parsed or shaped. */
function trajectoryOf(call: CapturedCall): { doc: TrajectoryExport; raw: boolean } {
  try {
    return { doc: passthroughTrajectory(summariseCall(call)), raw: false };
  } catch {
    return { doc: passthroughTrajectory(summariseCallRaw(call)), raw: true };
  }
}

/**
 * Summarises a batch of finished calls and stores each one not stored yet (one transaction
 * when all goes well). A call the store refuses is stored again with its bodies as text
 * (e.g. JSON nested too deeply to serialise); one refused that way too is a failure with
 * its reason. Never throws for a bad call: the others are stored regardless.
 */
export function storeCalls(store: Store, calls: CapturedCall[]): StoredCalls {
  const docs = calls.map(trajectoryOf);
  const first = store.importTrajectoriesOnce(docs.map((d) => d.doc));
  const result: StoredCalls = { ids: first.ids, failures: [], diskFull: first.diskFull };
  for (const { index, error } of first.failed) {
    const call = calls[index];
    if (docs[index].raw) {
      result.failures.push({ id: call.id, reason: reasonOf(error) });
      continue;
    }
    const retry = store.importTrajectoriesOnce([passthroughTrajectory(summariseCallRaw(call))]);
    result.ids.push(...retry.ids);
    result.diskFull ||= retry.diskFull;
    if (retry.failed.length > 0) result.failures.push({ id: call.id, reason: `${reasonOf(error)}; as text: ${reasonOf(retry.failed[0].error)}` });
  }
  return result;
}
