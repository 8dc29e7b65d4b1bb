import { TRAJECTORY_FORMAT_VERSION, type TrajectoryExport } from '../../../shared/trajectory';
import type { Store } from '../store';
import { summariseCall, type CapturedCall, type PassthroughRecord } from './call-summary';

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
    init_params: { model: record.model, stream: record.stream },
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
        payload: { provider: record.provider, model: record.model, stream: record.stream, usage: record.usage, error: record.error, ...timing },
      },
    ],
  };
}

/** Summarises a batch of finished calls and stores them in one transaction; returns their ids. */
export function storeCalls(store: Store, calls: CapturedCall[]): string[] {
  return store.importTrajectories(calls.map((call) => passthroughTrajectory(summariseCall(call))));
}
