import path from 'node:path';
import type { Trajectory } from '../../../shared/trajectory';
import { isOwnerProcessAlive, processOwnerToken, type JournaledStep, type JournalEvent, type StepEnd, type Store, type WorkflowRunRecord } from '../store';
import { AttemptContext, type AttemptServices } from './attempt-context';
import { checkWorkflow, describeIssue, type WorkflowDocument } from './document';
import { eventLoopSlicer } from './event-loop-slice';
import { resolveInputs } from './inputs';
import type { ModelClient } from './model-client';
import type { PathScope } from './paths';
import { DEFAULT_RETRIES, DEFAULT_STEP_RETRY, isRetryableStepError, retryDelayMs, type StepRetryPolicy } from './step-retry';
import { stepTemplate } from './templates/registry';
import { PermanentStepError, SHUTDOWN_REASON, type ChildOutcome, type FanOut, type RunbookStepRequest, type StepResult } from './templates/types';

/** A step's progress, for live views (the CLI prints these). */
export interface WorkflowProgress {
  workflowId: string;
  step: string;
  status: 'running' | 'completed' | 'failed' | 'retrying' | 'skipped' | 'cancelled';
  attempt: number;
  error?: string;
  delayMs?: number;
}

export interface WorkflowRuntimeDeps {
  store: Store;
  models: ModelClient;
  /** A task's workflow document (`collection/task` of a fan-out child), or null. */
  taskWorkflow(collection: string, task: string): Promise<Record<string, unknown> | null>;
  /** Runs a runbook as a step (run_runbook); resolves with the step's outputs. */
  runRunbook?(request: RunbookStepRequest, signal: AbortSignal): Promise<Record<string, unknown>>;
  retry?: StepRetryPolicy;
  onProgress?(progress: WorkflowProgress): void;
  /** Where steps write output files; default `<the store's folder>/files`, the files root `GET /api/v1/file/{path}` serves. */
  filesRoot?: string;
  /** Most pure steps journaled in one transaction (default PURE_STEP_BATCH); 1 commits each on its own. */
  pureStepBatch?: number;
  /**
   * Hands a step's output file (its path under the files root, complete once written) to its
   * collection's storage: a remote backend gets it from the upload queue at once.
   */
  storeOutputFile?(collection: string, relativePath: string): Promise<unknown>;
}

/**
 * Pure steps (text_*, conditional_branch, extract_from_trajectories, skipped branches: the
 * templates marked `instant`) are journaled together, with the
 * run's next commit: before any step with side effects begins, when the run ends, when the
 * run steps aside for the event loop (every 20 ms), or once this many wait. A crash can lose
 * only such steps, and re-running them on resume is harmless (deterministic, no effects).
 */
export const PURE_STEP_BATCH = 256;

export interface StartWorkflow {
  collection: string;
  task: string;
  document: Record<string, unknown>;
  /** Override the document's init_params key by key. */
  init_params?: Record<string, unknown>;
  files?: string[];
}

export interface WorkflowHandle {
  id: string;
  /** The final trajectory; never rejects. */
  done: Promise<Trajectory>;
}

/** What a step attempt's journal entries share: its step, position, number, resolved inputs, start and idempotency key. */
type AttemptRecord = Pick<StepEnd, 'step' | 'position' | 'attempt' | 'inputs' | 'started_at' | 'idempotency_key'>;

/** A workflow document with errors: the message names the first one and where it is. */
export class InvalidWorkflowError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'InvalidWorkflowError';
  }
}

class StepFailed extends Error {}

const SKIPPED_OUTPUTS = { skipped: true };

const sleep = (ms: number, signal: AbortSignal) =>
  new Promise<void>((resolve, reject) => {
    if (signal.aborted) return reject(signal.reason);
    const timer = setTimeout(() => {
      signal.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal.reason);
    };
    signal.addEventListener('abort', onAbort, { once: true });
  });

const messageOf = (error: unknown) => (error instanceof Error ? error.message : String(error));

function validDocument(value: unknown): WorkflowDocument {
  const { document, issues } = checkWorkflow(value);
  if (!document || issues.length > 0) throw new InvalidWorkflowError(issues.map((i) => describeIssue(i)).join('; '));
  return document;
}

/**
 * The workflow engine. Runs a document's steps in order, each step's resolved inputs,
 * attempt, status and outputs journaled in one transaction when it ends; retries failed
 * attempts with backoff; follows conditional branches; fans out children (journaled runs
 * of their own, keyed by parent, step and index). A run found unfinished at start-up is
 * resumed from its first unfinished step: journaled steps are never executed again.
 */
export function createWorkflowRuntime(deps: WorkflowRuntimeDeps) {
  const { store } = deps;
  const journal = store.workflowJournal();
  const owner = processOwnerToken();
  const policy = deps.retry ?? DEFAULT_STEP_RETRY;
  const active = new Map<string, { controller: AbortController; done: Promise<Trajectory> }>();
  // One for all runs of the runtime: a fan-out's children step aside together.
  const slice = eventLoopSlicer();
  const batchLimit = deps.pureStepBatch ?? PURE_STEP_BATCH;
  /** Ends of pure steps not committed yet, by run. */
  const deferred = new Map<string, StepEnd[]>();
  /** A run's deferred step ends, handed over to be committed. */
  const takeDeferred = (runId: string): StepEnd[] => {
    const ends = deferred.get(runId) ?? [];
    deferred.delete(runId);
    return ends;
  };
  /** Commits a run's deferred step ends (one transaction). */
  const flush = (runId: string): void => {
    const ends = takeDeferred(runId);
    if (ends.length > 0) journal.endSteps(runId, ends);
  };
  const defer = (runId: string, end: StepEnd): void => {
    let ends = deferred.get(runId);
    if (!ends) deferred.set(runId, (ends = []));
    ends.push(end);
    if (ends.length >= batchLimit) flush(runId);
  };

  const progress = (p: WorkflowProgress) => deps.onProgress?.(p);

  async function fanOut(parent: WorkflowRunRecord, step: string, request: FanOut, signal: AbortSignal): Promise<ChildOutcome[]> {
    const raw = await deps.taskWorkflow(request.collection, request.task);
    if (!raw) throw new PermanentStepError(`no workflow task '${request.collection}/${request.task}'`);
    let document: WorkflowDocument;
    try {
      document = validDocument(raw);
    } catch (error) {
      throw new PermanentStepError(`child workflow '${request.collection}/${request.task}' is invalid: ${messageOf(error)}`);
    }
    const outcomes: ChildOutcome[] = [];
    let next = 0;
    let stop = false;
    const runChild = async (index: number): Promise<ChildOutcome> => {
      let run = journal.child(parent.id, step, index);
      if (run && run.status !== 'running') {
        const t = store.getTrajectory(run.id);
        return { trajectory_id: run.id, status: run.status, error: t?.error ?? null };
      }
      if (run) journal.claim(run.id, owner, run.owner); // adopted: started before a crash, resumed from its journal
      else {
        run = journal.createRun({
          collection: request.collection,
          task: request.task,
          document: raw,
          init_params: { ...document.init_params, ...request.additionalParams, [request.itemParamName]: request.items[index] },
          owner,
          parent: { id: parent.id, step, index },
        });
      }
      const t = await follow(run, signal, document);
      return { trajectory_id: run.id, status: t.status, error: t.error ?? null };
    };
    const worker = async () => {
      while (next < request.items.length && !stop && !signal.aborted) {
        const index = next++;
        outcomes[index] = await runChild(index);
        if (outcomes[index].status !== 'completed' && !request.continueOnError) stop = true;
      }
    };
    await Promise.all(Array.from({ length: Math.min(request.maxConcurrency, request.items.length) }, worker));
    if (signal.aborted) throw signal.reason;
    return outcomes.filter(Boolean);
  }

  const services: AttemptServices = {
    models: deps.models,
    fanOut,
    trajectory: (id) => store.getTrajectory(id),
    runRunbook: (request, signal) => {
      if (!deps.runRunbook) throw new PermanentStepError('run_runbook is not available here (no sandbox runner)');
      return deps.runRunbook(request, signal);
    },
    filesRoot: deps.filesRoot ?? path.join(path.dirname(store.file), 'files'),
    checkpoint: (run, step, values) => journal.checkpointStep(run.id, step, values),
    storeOutputFile: deps.storeOutputFile ?? (async () => null),
  };

  /**
   * Journals the end of an attempt (its step, position, number, inputs, start and key are in
   * `record`): a pure step's completion with the run's next commit, anything else at once.
   */
  function endAttempt(
    run: WorkflowRunRecord,
    record: AttemptRecord,
    status: 'completed' | 'failed' | 'running' | 'cancelled',
    outputs: Record<string, unknown>,
    events: JournalEvent[],
    extra: { error?: string; usage?: StepResult['usage']; idempotency_key?: null } = {},
    pure = false,
  ): void {
    const end = { ...record, status, outputs, events, ...extra };
    if (pure && status === 'completed') return defer(run.id, end);
    flush(run.id);
    journal.endStep(run.id, end);
  }

  /** Runs one step to its end (retrying as allowed); returns its inputs and outputs or throws StepFailed. */
  async function runStep(run: WorkflowRunRecord, doc: WorkflowDocument, roots: ReadonlySet<string>, name: string, position: number, previous: JournaledStep | undefined, scope: PathScope, signal: AbortSignal) {
    const config = doc.step_configs[name];
    const template = stepTemplate(config.activity)!;
    const retries = config.retries ?? (template.instant ? 0 : DEFAULT_RETRIES);
    const timeoutMs = config.timeout !== undefined ? config.timeout * 1000 : template.timeoutMs;
    // An attempt that was running when the process died counts as made, and the next one
    // carries its idempotency key: the call it may have made is answered again, not redone.
    let interruptedKey = previous?.status === 'running' ? previous.idempotency_key : null;
    // What that attempt checkpointed (a prediction it created): the next one picks it up instead of starting another.
    let interrupted = interruptedKey !== null && previous && Object.keys(previous.outputs).length > 0 ? previous.outputs : null;
    for (let attempt = (previous?.attempt ?? 0) + 1; ; attempt++) {
      const startedAt = new Date().toISOString();
      const idempotencyKey = interruptedKey ?? `${run.id}:${name}:${attempt}`;
      const resumed = interrupted;
      interruptedKey = null;
      interrupted = null;
      const record: AttemptRecord = { step: name, position, attempt, inputs: {}, started_at: startedAt, idempotency_key: template.instant ? null : idempotencyKey };
      try {
        const inputs = (record.inputs = resolveInputs(config, scope, roots));
        if (!template.instant) {
          const events: JournalEvent[] = [{ level: 'info', type: 'progress', step: name, payload: { step: name, status: 'running', attempt, message: `${name} running (attempt ${attempt})` } }];
          // Every step before it is committed before a step with side effects starts.
          flush(run.id);
          journal.beginStep(run.id, { step: name, position, attempt, inputs, idempotency_key: idempotencyKey, events });
          progress({ workflowId: run.id, step: name, status: 'running', attempt });
        }
        const stepSignal = timeoutMs ? AbortSignal.any([signal, AbortSignal.timeout(timeoutMs)]) : signal;
        const result = await template.run(inputs, new AttemptContext(services, run, scope, { step: name, attempt, idempotencyKey, signal: stepSignal, interrupted: resumed }));
        const events: JournalEvent[] = [];
        if (result.outputs.call_id !== undefined) {
          events.push({ level: 'info', type: 'model_call', step: name, payload: { source: 'workflow', model: String(result.outputs.model), usage: result.usage ?? null, call_id: String(result.outputs.call_id), attempt } });
        }
        // A pure step's row says all there is (status, inputs, outputs, times): no event of its own.
        if (!template.instant) events.push({ level: 'info', type: 'progress', step: name, payload: { step: name, status: 'completed', attempt, duration_ms: Date.now() - Date.parse(startedAt), message: `${name} completed` } });
        endAttempt(run, record, 'completed', result.outputs, events, { usage: result.usage }, template.instant);
        progress({ workflowId: run.id, step: name, status: 'completed', attempt });
        return { inputs, outputs: result.outputs };
      } catch (error) {
        if (signal.aborted) {
          if (signal.reason !== SHUTDOWN_REASON) endAttempt(run, record, 'cancelled', {}, [{ level: 'warning', type: 'progress', step: name, payload: { step: name, status: 'cancelled', attempt, message: `${name} cancelled` } }]);
          throw signal.reason;
        }
        const message = error instanceof Error && error.name === 'TimeoutError' ? `attempt timed out after ${timeoutMs} ms` : messageOf(error);
        if (isRetryableStepError(error) && attempt <= retries) {
          const delayMs = retryDelayMs(error, attempt, policy);
          const retry = { what: `step ${name}`, attempt, max_attempts: retries + 1, delay_ms: delayMs, error: message };
          endAttempt(run, record, 'running', {}, [{ level: 'warning', type: 'retry', step: name, payload: retry }], {
            error: message,
            // This attempt is over: the next one, even after a crash, makes a call of its own.
            idempotency_key: null,
          });
          progress({ workflowId: run.id, step: name, status: 'retrying', attempt, error: message, delayMs });
          await sleep(delayMs, signal);
          continue;
        }
        endAttempt(run, record, 'failed', {}, [{ level: 'error', type: 'progress', step: name, payload: { step: name, status: 'failed', attempt, error: message, message: `${name} failed: ${message}` } }], { error: message });
        progress({ workflowId: run.id, step: name, status: 'failed', attempt, error: message });
        throw new StepFailed(`step '${name}' failed: ${message}`);
      }
    }
  }

  /** Runs (or resumes) a run to its end and records how it ended. */
  async function execute(run: WorkflowRunRecord, doc: WorkflowDocument, signal: AbortSignal): Promise<void> {
    const journaled = journal.resumeSteps(run.id);
    const scope: PathScope = { init_params: run.init_params, steps: {} };
    const roots: ReadonlySet<string> = new Set(doc.steps);
    const finished = doc.steps.filter((s) => ['completed', 'cancelled'].includes(journaled.get(s)?.status ?? ''));
    if (journaled.size > 0) {
      const next = doc.steps.find((s) => !finished.includes(s)) ?? null;
      journal.appendEvents(run.id, [{ level: 'info', type: 'resume', step: null, payload: { completed_steps: finished, resumed_at: next } }]);
    }
    let jumpTo: string | null = null;
    const skip = new Set<string>();
    for (const [position, name] of doc.steps.entries()) {
      const pause = slice();
      if (pause) {
        flush(run.id);
        await pause;
      }
      if (signal.aborted) throw signal.reason;
      const previous = journaled.get(name);
      if ((jumpTo !== null && name !== jumpTo) || skip.has(name)) {
        if (!previous) {
          defer(run.id, { step: name, position, status: 'cancelled', attempt: 0, inputs: {}, outputs: SKIPPED_OUTPUTS, started_at: new Date().toISOString(), events: [{ level: 'info', type: 'progress', step: name, payload: { step: name, status: 'skipped', message: `${name} skipped (branch not taken)` } }] });
          progress({ workflowId: run.id, step: name, status: 'skipped', attempt: 0 });
        }
        continue;
      }
      if (name === jumpTo) jumpTo = null;
      const step: { inputs: Record<string, unknown>; outputs: Record<string, unknown> } = previous?.status === 'completed' ? previous : await runStep(run, doc, roots, name, position, previous, scope, signal);
      scope.steps[name] = step;
      if (doc.step_configs[name].activity === 'conditional_branch') {
        jumpTo = String(step.outputs.next_step);
        skip.add(String(step.outputs.skipped_step));
      }
    }
    journal.finishRun(run.id, 'completed', null, [], takeDeferred(run.id));
  }

  /**
   * Executes a claimed run, tracked as active, ending it as completed, failed or cancelled.
   * `doc` is its document once validated (a new run's, a fan-out's child's); a resumed run's is validated here.
   */
  function follow(run: WorkflowRunRecord, parentSignal?: AbortSignal, doc?: WorkflowDocument): Promise<Trajectory> {
    const running = active.get(run.id);
    if (running) return running.done;
    const controller = new AbortController();
    const signal = parentSignal ? AbortSignal.any([parentSignal, controller.signal]) : controller.signal;
    const done = (async () => {
      try {
        await execute(run, doc ?? validDocument(run.document), signal);
      } catch (error) {
        // The pure steps it completed before failing, being cancelled or shut down are kept.
        try {
          flush(run.id);
        } catch (flushError) {
          console.error(`Could not journal the steps of workflow ${run.id}:`, flushError);
        }
        if (signal.reason === SHUTDOWN_REASON) return store.getTrajectory(run.id)!;
        const cancelled = signal.aborted;
        const message = cancelled ? null : messageOf(error);
        try {
          journal.finishRun(run.id, cancelled ? 'cancelled' : 'failed', message);
        } catch (finishError) {
          console.error(`Could not record the end of workflow ${run.id}:`, finishError);
        }
      } finally {
        active.delete(run.id);
      }
      return store.getTrajectory(run.id)!;
    })();
    active.set(run.id, { controller, done });
    return done;
  }

  return {
    /** Validates the document (InvalidWorkflowError), journals the run and starts it. */
    start(input: StartWorkflow): WorkflowHandle {
      const doc = validDocument(input.document);
      const run = journal.createRun({
        collection: input.collection,
        task: input.task,
        document: input.document,
        init_params: { ...doc.init_params, ...input.init_params },
        files: input.files,
        owner,
      });
      return { id: run.id, done: follow(run, undefined, doc) };
    },
    /**
     * Resumes every top-level run left unfinished by a process that is gone (the app,
     * `jetty serve`, `jetty workflow resume` call this at start), or just `id`.
     */
    resumeInterrupted(id?: string): WorkflowHandle[] {
      const runs = journal.claimInterrupted(owner, isOwnerProcessAlive, id);
      return runs.map((run) => ({ id: run.id, done: follow(run) }));
    },
    /** Cancels a run this process is running, and its children; false if it is not running here. */
    cancel(id: string): boolean {
      const run = active.get(id);
      run?.controller.abort('cancelled');
      return run !== undefined;
    },
    active: () => [...active.keys()],
    /** The end of a run this process is running (e.g. one resumed at start), or null. */
    wait: (id: string): Promise<Trajectory> | null => active.get(id)?.done ?? null,
    /** Stops every run without recording an end, so the next start resumes them. */
    async close() {
      const running = [...active.values()];
      for (const r of running) r.controller.abort(SHUTDOWN_REASON);
      await Promise.all(running.map((r) => r.done));
    },
  };
}

export type WorkflowRuntime = ReturnType<typeof createWorkflowRuntime>;
