import path from 'node:path';
import type { Trajectory } from '../../../shared/trajectory';
import { adoptRun } from '../runs/adopt-run';
import type { RunOrder } from '../runs/run-request';
import type { Store } from '../store';
import type { RunbookPathCheck } from '../workspace/runbook-roots';
import { PermanentStepError, RetryableStepError, type RunbookStepRequest } from './templates/types';

export interface RunbookStepDeps {
  /** Starts a run assembled from the order, as at every front door. */
  start(order: RunOrder): Promise<{ id: string; done: Promise<Trajectory>; cancel?(): void }>;
  /** The RUNBOOK.md of a folder task (`collection/task`), or null. */
  findRunbook(collection: string, task: string): Promise<string | null>;
  /** The check a runbook named by path passes (inside the open folders), as at every other door. */
  readable: RunbookPathCheck;
  /** Where runs' result files land (`<artifactsRoot>/<id>/…`). */
  artifactsRoot: string;
  /** Reads an adopted run, and marks one its dead process left running. */
  store: Pick<Store, 'getTrajectory' | 'updateTrajectory'>;
}

/** What the step outputs of a finished run; a run that did not complete fails the step. */
function stepOutputs(deps: RunbookStepDeps, t: Trajectory): Record<string, unknown> {
  if (t.status !== 'completed') throw new PermanentStepError(`runbook run ${t.id} ${t.status}${t.error ? `: ${t.error}` : ''}`);
  return {
    trajectory_id: t.id,
    status: t.status,
    artifacts: t.artifacts.map((a) => ({ ...a, file: path.join(deps.artifactsRoot, t.id, a.path) })),
    evaluation: t.evaluation,
    passed: t.evaluation?.overall_passed ?? null,
  };
}

/**
 * The run an interrupted attempt started, on resume: completed → its outputs; ended
 * otherwise → the step fails as it would have; still marked running (its process is gone:
 * the workflow resumes only once its owner died, and the run had the same owner) or marked
 * interrupted at start-up → failed with a clear error, and the step retries with a new run.
 * Null when the attempt died before the run was created.
 */
function adoptedRun(deps: RunbookStepDeps, id: string): Record<string, unknown> | null {
  const error = 'interrupted: the process running it stopped before it ended; the workflow step retries with a new run';
  const adoption = adoptRun(deps.store, id, error);
  if (adoption.kind === 'absent') return null;
  if (adoption.kind === 'interrupted') throw new RetryableStepError(`runbook run ${id} was ${error}`);
  return stepOutputs(deps, adoption.trajectory);
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
    const adopted = request.adopt ? adoptedRun(deps, request.trajectoryId) : null;
    if (adopted) return adopted;
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
      trajectoryId: request.trajectoryId,
    });
    const onAbort = () => handle.cancel?.();
    signal.addEventListener('abort', onAbort, { once: true });
    return stepOutputs(deps, await handle.done.finally(() => signal.removeEventListener('abort', onAbort)));
  };
}
