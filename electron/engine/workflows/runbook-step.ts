import path from 'node:path';
import type { Trajectory } from '../../../shared/trajectory';
import type { RunOrder } from '../runs/run-request';
import type { RunbookPathCheck } from '../workspace/runbook-roots';
import { PermanentStepError, type RunbookStepRequest } from './templates/types';

export interface RunbookStepDeps {
  /** Starts a run assembled from the order, as at every front door. */
  start(order: RunOrder): Promise<{ id: string; done: Promise<Trajectory>; cancel?(): void }>;
  /** The RUNBOOK.md of a folder task (`collection/task`), or null. */
  findRunbook(collection: string, task: string): Promise<string | null>;
  /** The check a runbook named by path passes (inside the open folders), as at every other door. */
  readable: RunbookPathCheck;
  /** Where runs' result files land (`<artifactsRoot>/<id>/…`). */
  artifactsRoot: string;
}

/** A document's runbook path, refused (permanently: retrying cannot move the file) outside the open folders. */
async function readableRunbook(deps: RunbookStepDeps, file: string): Promise<string> {
  try {
    return await deps.readable(file);
  } catch (error) {
    throw new PermanentStepError((error as Error).message);
  }
}

/** run_runbook: one sandboxed runbook run through the run orchestrator; outputs its artifacts (host paths) and evaluation. */
export function runbookStep(deps: RunbookStepDeps) {
  return async (request: RunbookStepRequest, signal: AbortSignal): Promise<Record<string, unknown>> => {
    let runbookPath = request.runbook && (await readableRunbook(deps, request.runbook));
    if (!runbookPath && request.task) {
      const [collection, task] = request.task.split('/');
      runbookPath = await deps.findRunbook(collection ?? '', task ?? '');
      if (!runbookPath) throw new PermanentStepError(`no runbook task '${request.task}' in the opened folders`);
    }
    const handle = await deps.start({
      runbookPath: runbookPath!,
      params: request.parameters,
      model: request.model,
      agent: request.agent,
      image: request.image,
      timeoutMs: request.timeoutMs,
      door: 'workflow',
    });
    const onAbort = () => handle.cancel?.();
    signal.addEventListener('abort', onAbort, { once: true });
    const t = await handle.done.finally(() => signal.removeEventListener('abort', onAbort));
    if (t.status !== 'completed') throw new PermanentStepError(`runbook run ${t.id} ${t.status}${t.error ? `: ${t.error}` : ''}`);
    return {
      trajectory_id: t.id,
      status: t.status,
      artifacts: t.artifacts.map((a) => ({ ...a, file: path.join(deps.artifactsRoot, t.id, a.path) })),
      evaluation: t.evaluation,
      passed: t.evaluation?.overall_passed ?? null,
    };
  };
}
