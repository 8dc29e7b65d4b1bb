import path from 'node:path';
import type { Trajectory } from '../../../shared/trajectory';
import { linkedSignal, type LinkedSignal } from '../base/linked-signal';
import { isOwnerProcessAlive, processOwnerToken, type JournaledStep, type JournalEvent, type StepEnd, type Store, type WorkflowRunRecord } from '../store';
import { AttemptContext, type AttemptServices } from './attempt-context';
import { Budget, StepBoundError } from './bounds';
import { checkForRefusal, describeIssues, type WorkflowDocument } from './document';
import { eventLoopSlicer } from './event-loop-slice';
import { resolveInputs } from './inputs';
import { DEFAULT_WORKFLOW_LIMITS, type WorkflowLimits } from './limits';
import type { ModelClient } from './model-client';
import type { PathScope } from './paths';
import { PUBLIC_HTTPS_ONLY } from './provider-download';
import { Lease, RunTree, Slots, type RunNode } from './run-tree';
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
  /** Overrides of the bounds a document runs within (limits.ts); the defaults hold for the rest. */
  limits?: Partial<WorkflowLimits>;
  /**
   * Origins (`http://127.0.0.1:4242`) steps may download provider output files from although
   * they are not public https: tests' loopback servers. Given by whoever creates the engine,
   * never by a document or the environment; none by default.
   */
  trustedDownloadOrigins?: readonly string[];
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
  /** The run's id, chosen by the caller (a routine's firing); default a fresh one. */
  id?: string;
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

/** Runs ended as cancelled in one transaction when a fan-out stops with children nobody runs any more. */
const CANCEL_BATCH = 500;

/** JSON characters of a value (a document, parameters), counted without a bound. */
function jsonChars(value: unknown): number {
  const budget = new Budget('', Infinity);
  budget.measure(value);
  return budget.chars;
}

function validDocument(value: unknown): WorkflowDocument {
  const { document, issues } = checkForRefusal(value);
  if (!document || issues.length > 0) throw new InvalidWorkflowError(describeIssues(issues));
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
  const limits: Readonly<WorkflowLimits> = { ...DEFAULT_WORKFLOW_LIMITS, ...deps.limits };
  /** Children running at once over every root (MAX_LIVE_CHILDREN). */
  const engineSlots = new Slots(limits.liveChildren);
  const active = new Map<string, { controller: LinkedSignal; done: Promise<Trajectory>; node: RunNode }>();
  /**
   * One for all runs of the runtime: a fan-out's children step aside together. Where work
   * may be heavy (a step, a child's journal row, a run's end) it is preceded by
   * `for (let pause = slice(); pause; pause = slice()) await pause;` written in place: the
   * last check and the work run in one synchronous stretch (an awaited helper would put a
   * microtask between them, in which every other run woken by the same pause would pass its
   * check too, and all their work would land in one turn).
   */
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

  /**
   * Ends as cancelled the runs still marked running under a fan-out step once it has stopped
   * (none of its children runs here any more): children a crash left that it did not adopt,
   * and theirs. In batches, stepping aside between them.
   */
  async function cancelUnfinished(parentId: string, step: string, reason: string): Promise<void> {
    const ids = journal.unfinishedUnder(parentId, step).filter((id) => !active.has(id));
    for (let at = 0; at < ids.length; at += CANCEL_BATCH) {
      for (let pause = slice(); pause; pause = slice()) await pause;
      journal.cancelRuns(ids.slice(at, at + CANCEL_BATCH), reason);
    }
  }

  async function fanOut(parent: WorkflowRunRecord, step: string, request: FanOut, signal: AbortSignal): Promise<ChildOutcome[]> {
    const node = active.get(parent.id)!.node;
    const chain = [...node.chain, `${request.collection}/${request.task}`];
    const outcomes: ChildOutcome[] = [];
    try {
      if (node.depth >= limits.depth) {
        throw new StepBoundError(`workflows nest deeper than the bound of ${limits.depth} levels of child workflows: ${chain.join(' → ')} (a workflow that starts itself ends here)`);
      }
      const raw = await deps.taskWorkflow(request.collection, request.task);
      if (!raw) throw new PermanentStepError(`no workflow task '${request.collection}/${request.task}'`);
      // Validating a large child document is work of its own.
      for (let pause = slice(); pause; pause = slice()) await pause;
      let document: WorkflowDocument;
      try {
        document = validDocument(raw);
      } catch (error) {
        throw new PermanentStepError(`child workflow '${request.collection}/${request.task}' is invalid: ${messageOf(error)}`);
      }
      // Each child not journaled yet counts, with what it journals: the document, its parameters.
      const journaled = journal.childIndexes(parent.id, step);
      const fresh = request.items.flatMap((item, index) => (journaled.has(index) ? [] : [item]));
      const perChild = jsonChars(raw) + jsonChars(document.init_params) + jsonChars(request.additionalParams);
      node.tree.addJournal(fresh.reduce((sum: number, item) => sum + perChild + jsonChars(item), 0), `its ${fresh.length} child workflows`);
      node.tree.addChildren(fresh.length);
      let next = 0;
      let stop = false;
      const runChild = async (index: number): Promise<ChildOutcome> => {
        let run = journal.child(parent.id, step, index);
        if (run && run.status !== 'running') {
          const t = store.getTrajectory(run.id);
          return { trajectory_id: run.id, status: run.status, error: t?.error ?? null };
        }
        const lease = new Lease(node.tree.slots, engineSlots);
        await lease.take(signal);
        try {
          // A child's journal row (its document, its parameters) can be large: siblings take turns with the event loop.
          for (let pause = slice(); pause; pause = slice()) await pause;
          if (signal.aborted) throw signal.reason;
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
          const t = await follow(run, signal, document, { tree: node.tree, depth: node.depth + 1, chain, lease });
          return { trajectory_id: run.id, status: t.status, error: t.error ?? null };
        } finally {
          lease.give();
        }
      };
      const worker = async () => {
        while (next < request.items.length && !stop && !signal.aborted) {
          const index = next++;
          outcomes[index] = await runChild(index);
          if (outcomes[index].status !== 'completed' && !request.continueOnError) stop = true;
        }
      };
      // While it waits on its children, a child run holds no slot of its own (nested fan-outs cannot take every slot and wait).
      node.lease?.give();
      await Promise.all(Array.from({ length: Math.min(request.maxConcurrency, request.items.length, limits.liveChildrenPerRoot) }, worker));
    } finally {
      // Children journaled before a crash that this fan-out did not run to their end (it failed, stopped or was cancelled) end as cancelled.
      if (signal.reason !== SHUTDOWN_REASON) await cancelUnfinished(parent.id, step, signal.aborted ? 'cancelled with the workflow that started it' : 'not run: the fan-out that started it stopped');
    }
    if (signal.aborted) throw signal.reason;
    await node.lease?.take(signal);
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
    files: { filesRoot: deps.filesRoot ?? path.join(path.dirname(store.file), 'files'), run: (id) => journal.getRun(id), maxBytes: limits.fileBytes },
    downloads: deps.trustedDownloadOrigins ? { trustedOrigins: new Set(deps.trustedDownloadOrigins.map((o) => new URL(o).origin)) } : PUBLIC_HTTPS_ONLY,
    limits,
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
  async function runStep(run: WorkflowRunRecord, node: RunNode, doc: WorkflowDocument, roots: ReadonlySet<string>, name: string, position: number, previous: JournaledStep | undefined, scope: PathScope, signal: AbortSignal) {
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
        // Counted as they are resolved (and as the step reads paths with ctx.resolve): past the bound, the step fails before they exist.
        const inputBudget = new Budget('its resolved inputs', limits.stepInputChars, limits.templateExpansions);
        const inputs = (record.inputs = resolveInputs(config, scope, roots, inputBudget));
        node.tree.addJournal(inputBudget.chars, 'its resolved inputs');
        if (!template.instant) {
          const events: JournalEvent[] = [{ level: 'info', type: 'progress', step: name, payload: { step: name, status: 'running', attempt, message: `${name} running (attempt ${attempt})` } }];
          // Every step before it is committed before a step with side effects starts.
          flush(run.id);
          journal.beginStep(run.id, { step: name, position, attempt, inputs, idempotency_key: idempotencyKey, events });
          progress({ workflowId: run.id, step: name, status: 'running', attempt });
        }
        const limited = timeoutMs ? linkedSignal([signal], { ms: timeoutMs, message: `attempt timed out after ${timeoutMs} ms` }) : null;
        const context = new AttemptContext(services, run, scope, { step: name, attempt, idempotencyKey, signal: limited?.signal ?? signal, interrupted: resumed, inputs: inputBudget });
        let result: Awaited<ReturnType<typeof template.run>>;
        try {
          result = await template.run(inputs, context);
        } finally {
          limited?.dispose();
        }
        const outputBudget = new Budget('its outputs', limits.stepOutputChars);
        outputBudget.measure(result.outputs);
        node.tree.addJournal(outputBudget.chars, 'its outputs');
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
        // Inputs past their bound are not journaled (they are what the bound keeps out).
        if (error instanceof StepBoundError) record.inputs = {};
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
  async function execute(run: WorkflowRunRecord, node: RunNode, doc: WorkflowDocument, signal: AbortSignal): Promise<void> {
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
      for (let pause = slice(); pause; pause = slice()) {
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
      const step: { inputs: Record<string, unknown>; outputs: Record<string, unknown> } = previous?.status === 'completed' ? previous : await runStep(run, node, doc, roots, name, position, previous, scope, signal);
      scope.steps[name] = step;
      if (doc.step_configs[name].activity === 'conditional_branch') {
        jumpTo = String(step.outputs.next_step);
        skip.add(String(step.outputs.skipped_step));
      }
    }
    for (let pause = slice(); pause; pause = slice()) await pause;
    journal.finishRun(run.id, 'completed', null, [], takeDeferred(run.id));
  }

  /**
   * Executes a claimed run, tracked as active, ending it as completed, failed or cancelled.
   * `doc` is its document once validated (a new run's, a fan-out's child's); a resumed run's is validated here.
   * `node` places a child in its tree; a root run (new or resumed) starts a tree counted from its journal.
   */
  function follow(run: WorkflowRunRecord, parentSignal?: AbortSignal, doc?: WorkflowDocument, node?: RunNode): Promise<Trajectory> {
    const running = active.get(run.id);
    if (running) return running.done;
    // Aborted by its own cancel or with its parent; it lets go of the parent once it has ended.
    const controller = linkedSignal([parentSignal]);
    const { signal } = controller;
    const place = node ?? { tree: new RunTree(limits, journal.treeSize(run.id)), depth: 0, chain: [`${run.collection}/${run.task}`], lease: null };
    // Tracked before it starts: its first steps (a fan-out reading its place) may run before the first await.
    const entry = { controller, node: place, done: Promise.resolve(null as unknown as Trajectory) };
    active.set(run.id, entry);
    entry.done = (async () => {
      try {
        await execute(run, place, doc ?? validDocument(run.document), signal);
      } catch (error) {
        // Runs that end together (a fan-out's children failing at once) record their ends in turns.
        if (signal.reason !== SHUTDOWN_REASON) for (let pause = slice(); pause; pause = slice()) await pause;
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
        controller.dispose();
      }
      return store.getTrajectory(run.id)!;
    })();
    return entry.done;
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
        id: input.id,
      });
      return { id: run.id, done: follow(run, undefined, doc) };
    },
    /**
     * Resumes every top-level run left unfinished by a process that is gone (the app,
     * `jetty serve`, `jetty workflow resume` call this at start), or just `id`. Each runs
     * within the same bounds as a new run, counted from what its tree already journaled.
     */
    resumeInterrupted(id?: string): WorkflowHandle[] {
      const runs = journal.claimInterrupted(owner, isOwnerProcessAlive, id);
      return runs.map((run) => ({ id: run.id, done: follow(run) }));
    },
    /** Cancels a run this process is running, and every run under it; false if it is not running here. */
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
