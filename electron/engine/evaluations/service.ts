import { setMaxListeners } from 'node:events';
import { EVALUATION_LIMITS, EvaluationRequestSchema, type EvaluationRequest, type EvaluationStatus, type EvaluationTrial } from '../../../shared/evaluations';
import type { Trajectory } from '../../../shared/trajectory';
import { adoptRun } from '../runs/adopt-run';
import { RunPreparationError } from '../runs/prepare';
import type { RunOrder } from '../runs/run-request';
import { childTrajectoryId, isOwnerProcessAlive, processOwnerToken, type EvaluationRecord, type Store, type TrialEnd, type TrialKey, type TrialSlot } from '../store';
import { Slots } from '../workflows/run-tree';
import { cellLabel, defineEvaluation, EvaluationRequestError, runbookDigest } from './definition';
import { startFailure, trialEnd } from './trial-outcome';

/** A trial's run as an executor hands it over. */
export interface TrialRun {
  id: string;
  done: Promise<Trajectory>;
  cancel(): void;
}

/** A remote Jetty as an executor: runs the order there, followed into a local trajectory (`cloud.run`). */
export type RemoteExecutor = (order: RunOrder & { collection: string }) => Promise<{ localId: string; done: Promise<unknown> }>;

export interface EvaluationServiceDeps {
  store: Store;
  /** The local executor: a run assembled from the order as at every front door, in this engine's Docker (DOCKER_HOST's, when set). */
  startRun(order: RunOrder): Promise<TrialRun>;
  /** The configured remote Jetty (absent: cells naming it fail to start, saying so). */
  remote?: RemoteExecutor;
  /** Makes the image a local run of the order uses ready once for all trials (images.ts). */
  prepareImage?(order: RunOrder): Promise<void>;
  /** An evaluation changed: a trial started or ended, or it ended (coalesced per evaluation). */
  onChange?(id: string, status: EvaluationStatus): void;
}

/** Why a running evaluation's work stops without recording an end: the engine closes, a restart resumes it. */
const SHUTDOWN = 'shutdown';
const INTERRUPTED = 'interrupted: the process running it stopped before it ended; the evaluation runs the trial again';

/** The trial's run's labels, so it is found (and filtered) as any trajectory is. */
const TRIAL_LABEL_AUTHOR = 'jetty-eval';

interface Execution {
  controller: AbortController;
  runs: Set<TrialRun>;
  /** Schedules the trials of the plan not scheduled yet (re-runs added while it runs). */
  pump(): void;
  done: Promise<void>;
}

const keyOf = (t: TrialKey) => `${t.cell}/${t.case}/${t.trial}`;
const messageOf = (error: unknown) => (error instanceof Error ? error.message : String(error));

/** Trials start trial 1 of every cell and case first; re-runs after the evaluation's own. */
const startOrder = (a: EvaluationTrial, b: EvaluationTrial) => Number(a.rerun_of !== null) - Number(b.rerun_of !== null) || a.trial - b.trial || a.case - b.case || a.cell - b.cell;

/**
 * Evaluations: a runbook's trials — ordinary runs, each tagged with its evaluation, cell and
 * trial — run concurrently within a bound per executor, durable across a crash.
 *
 * Durability is the workflow journal's, applied to trials: the plan (every trial) is stored
 * with the evaluation; a trial's run id is derived from (evaluation, cell and case, trial,
 * attempt) as a fan-out child's is (`childTrajectoryId`) and committed before the run starts;
 * the evaluation is owned by its process (`processOwnerToken`), and a restart claims the ones
 * whose owner died and adopts each trial's run by the one adoption rule (`adoptRun`): ended →
 * recorded, cut short → run again (the interrupted run listed as superseded), never started →
 * started. So every trial counts once, and finished trials never run again.
 */
export function createEvaluationService(deps: EvaluationServiceDeps) {
  const { store } = deps;
  const evaluations = store.evaluations();
  const owner = processOwnerToken();
  const active = new Map<string, Execution>();
  const pendingNotice = new Set<string>();

  /** Tells listeners once per turn of the loop however many trials changed. */
  function changed(id: string): void {
    if (!deps.onChange || pendingNotice.has(id)) return;
    pendingNotice.add(id);
    setImmediate(() => {
      pendingNotice.delete(id);
      const status = evaluations.get(id)?.status;
      if (status) deps.onChange!(id, status);
    });
  }

  /** A trial run's trajectory id: derived, as a fan-out child's, and fresh (an interrupted attempt's run keeps its own). */
  function trialTrajectoryId(evaluationId: string, trial: TrialKey, attempt: number): string {
    const parent = { id: evaluationId, step: `${trial.cell}.${trial.case}`, index: trial.trial };
    let salt = attempt;
    while (store.getTrajectoryHeader(childTrajectoryId(parent, salt))) salt++;
    return childTrajectoryId(parent, salt);
  }

  function label(trajectoryId: string, record: EvaluationRecord, trial: TrialKey): void {
    const tags = { evaluation: record.id, evaluation_cell: cellLabel(record.cells[trial.cell]), evaluation_trial: String(trial.trial) };
    try {
      for (const [key, value] of Object.entries(tags)) store.addLabel(trajectoryId, { key, value, author: TRIAL_LABEL_AUTHOR });
    } catch {
      // The trial table is what ties a run to its trial; a label that cannot be added loses only a filter.
    }
  }

  function end(record: EvaluationRecord, trial: TrialKey, result: TrialEnd, trajectoryId: string | null): void {
    evaluations.endTrial(record.id, trial, result, trajectoryId);
    changed(record.id);
  }

  function endWithRun(record: EvaluationRecord, trial: TrialKey, t: Trajectory): void {
    end(record, trial, trialEnd(t, evaluations.modelCallTotals(t.id), evaluations.lastModelCall(t.id)), t.id);
  }

  /** The trial's order: its case's parameters under its cell's, the cell's agent, model and image. */
  function orderOf(record: EvaluationRecord, trial: TrialKey): RunOrder {
    const cell = record.cells[trial.cell];
    return {
      runbookPath: record.runbook_path,
      params: { ...record.cases[trial.case]?.params, ...cell.params },
      agent: cell.agent ?? undefined,
      model: cell.model ?? undefined,
      image: cell.image ?? undefined,
      timeoutMs: record.timeout_seconds === null ? undefined : record.timeout_seconds * 1000,
      door: 'evaluation',
    };
  }

  async function runLocal(record: EvaluationRecord, trial: EvaluationTrial, exec: Execution, id: string, attempt: number, superseded: string[], ready: () => Promise<void>): Promise<void> {
    const signal = exec.controller.signal;
    await ready();
    if (signal.aborted) return;
    evaluations.beginTrial(record.id, trial, { trajectory_id: id, attempt, superseded });
    changed(record.id);
    let run: TrialRun;
    try {
      run = await deps.startRun({ ...orderOf(record, trial), trajectoryId: id });
    } catch (error) {
      if (signal.reason === SHUTDOWN) return;
      return end(record, trial, startFailure('setup', error instanceof RunPreparationError ? error.message : `the run could not start: ${messageOf(error)}`), null);
    }
    exec.runs.add(run);
    if (signal.aborted) run.cancel();
    label(run.id, record, trial);
    const t = await run.done;
    exec.runs.delete(run);
    if (signal.reason === SHUTDOWN) return;
    endWithRun(record, trial, t);
  }

  async function runRemote(record: EvaluationRecord, trial: EvaluationTrial, exec: Execution, attempt: number, superseded: string[]): Promise<void> {
    const signal = exec.controller.signal;
    if (!deps.remote) return end(record, trial, startFailure('remote', 'no remote Jetty is configured here: sign in to one (jetty login, Settings → Cloud)'), null);
    let started: Awaited<ReturnType<RemoteExecutor>>;
    try {
      started = await deps.remote({ ...orderOf(record, trial), collection: record.collection, task: record.task });
    } catch (error) {
      if (signal.reason === SHUTDOWN) return;
      return end(record, trial, startFailure('remote', messageOf(error)), null);
    }
    evaluations.beginTrial(record.id, trial, { trajectory_id: started.localId, attempt, superseded });
    label(started.localId, record, trial);
    changed(record.id);
    // The remote run is not stopped from here: a cancelled evaluation stops following it (its local copy is pulled on as it goes).
    const stopped = new Promise<void>((resolve) => signal.addEventListener('abort', () => resolve(), { once: true }));
    await Promise.race([started.done.catch(() => undefined), stopped]);
    if (signal.reason === SHUTDOWN) return;
    const t = store.getTrajectory(started.localId);
    if (signal.aborted || !t) return end(record, trial, { ...startFailure('remote', 'the remote run was not followed to its end'), outcome: signal.aborted ? 'cancelled' : 'error' }, started.localId);
    endWithRun(record, trial, t);
  }

  /** Runs one trial of the plan (or adopts the run a crash left of it), within its executor's bound. */
  async function runTrial(record: EvaluationRecord, planned: EvaluationTrial, slots: Record<'local' | 'remote', Slots>, exec: Execution, ready: () => Promise<void>): Promise<void> {
    const signal = exec.controller.signal;
    const slot = slots[planned.executor];
    try {
      await slot.acquire(signal);
    } catch {
      return;
    }
    try {
      const trial = evaluations.trial(record.id, planned);
      if (!trial || trial.state === 'ended' || signal.aborted) return;
      const superseded = [...trial.superseded];
      let attempt = trial.attempt + 1;
      let reuse: string | null = null;
      if (trial.state === 'running' && trial.trajectory_id && trial.executor === 'remote') {
        // A remote run goes on without this process: its local copy is adopted once it has ended, else left as the pull has it (and run again).
        const copy = store.getTrajectory(trial.trajectory_id);
        if (copy && ['completed', 'failed'].includes(copy.status)) return endWithRun(record, trial, copy);
        superseded.push(trial.trajectory_id);
      } else if (trial.state === 'running' && trial.trajectory_id) {
        const adoption = adoptRun(store, trial.trajectory_id, INTERRUPTED);
        if (adoption.kind === 'ended' && adoption.trajectory.status !== 'cancelled') return endWithRun(record, trial, adoption.trajectory);
        if (adoption.kind === 'absent') {
          // Committed, never created: started now under the id it was given.
          reuse = trial.trajectory_id;
          attempt = trial.attempt;
        } else superseded.push(trial.trajectory_id);
      }
      // Every trial runs the text that was evaluated: a changed runbook stops the evaluation.
      const now = await runbookDigest(record.runbook_path).catch(() => null);
      if (now?.hash !== record.content_hash) {
        throw new EvaluationRequestError(
          now
            ? `RUNBOOK.md changed since the evaluation started (sha256 ${record.content_hash.slice(0, 12)}…, now ${now.hash.slice(0, 12)}…): the trials left were not run; start a new evaluation of the new version`
            : 'RUNBOOK.md can no longer be read: the trials left were not run',
        );
      }
      if (trial.executor === 'remote') return await runRemote(record, trial, exec, attempt, superseded);
      return await runLocal(record, trial, exec, reuse ?? trialTrajectoryId(record.id, trial, attempt - 1), attempt, superseded, ready);
    } finally {
      slot.release();
    }
  }

  async function execute(id: string, exec: Execution): Promise<void> {
    const record = evaluations.resumable(id);
    const { signal } = exec.controller;
    const slots = { local: new Slots(record.concurrency.local), remote: new Slots(record.concurrency.remote) };
    // Each cell's image is made ready once, before its first trial: the trials share it.
    const images = new Map<number, Promise<void>>();
    const ready = (cell: number) => () => {
      let pending = images.get(cell);
      if (!pending) images.set(cell, (pending = deps.prepareImage?.(orderOf(record, { cell, case: 0, trial: 1 })) ?? Promise.resolve()));
      return pending;
    };
    const scheduled = new Set<string>();
    const tasks = new Set<Promise<void>>();
    let fatal: string | null = null;
    exec.pump = () => {
      if (signal.aborted) return;
      for (const trial of evaluations.trials(id).sort(startOrder)) {
        if (trial.state === 'ended' || scheduled.has(keyOf(trial))) continue;
        scheduled.add(keyOf(trial));
        const task = runTrial(record, trial, slots, exec, ready(trial.cell)).catch((error: unknown) => {
          if (signal.aborted) return;
          fatal = messageOf(error);
          exec.controller.abort('failed');
          for (const run of exec.runs) run.cancel();
        });
        tasks.add(task);
        void task.finally(() => tasks.delete(task));
      }
    };
    exec.pump();
    while (tasks.size > 0) await Promise.race(tasks);
    if (signal.reason === SHUTDOWN) return;
    // No await from here to the end: a re-run of failures asked now either joins the loop above or finds the evaluation ended.
    evaluations.finish(id, fatal ? 'failed' : signal.aborted ? 'cancelled' : 'completed', fatal);
    active.delete(id);
    changed(id);
  }

  /** Runs (or resumes) an evaluation this process owns to its end. */
  function follow(id: string): Promise<void> {
    const running = active.get(id);
    if (running) return running.done;
    const exec: Execution = { controller: new AbortController(), runs: new Set(), pump: () => undefined, done: Promise.resolve() };
    // Every trial waiting for a slot listens on it (at most the plan's bound of trials).
    setMaxListeners(0, exec.controller.signal);
    active.set(id, exec);
    exec.done = execute(id, exec).catch((error: unknown) => {
      // Not a trial's failure (those are recorded as trials): the store or the plan itself.
      if (exec.controller.signal.reason !== SHUTDOWN) evaluations.finish(id, 'failed', messageOf(error));
      active.delete(id);
      changed(id);
    });
    return exec.done;
  }

  return {
    /** Stores the evaluation and its plan, then runs it in the background; EvaluationRequestError when it cannot start. */
    async start(request: EvaluationRequest): Promise<{ id: string; done: Promise<void> }> {
      const parsed = EvaluationRequestSchema.safeParse(request);
      if (!parsed.success) {
        const issue = parsed.error.issues[0];
        throw new EvaluationRequestError(`${issue.path.join('.') || 'request'}: ${issue.message}`);
      }
      const { evaluation, slots } = await defineEvaluation(parsed.data, owner);
      const id = evaluations.create(evaluation, slots);
      changed(id);
      return { id, done: follow(id) };
    },
    /** Evaluations a dead process left running (or just `id`), claimed and resumed here; their ends as promises. */
    resumeInterrupted(id?: string): { id: string; done: Promise<void> }[] {
      return evaluations.claimInterrupted(owner, isOwnerProcessAlive, id).map((claimed) => ({ id: claimed, done: follow(claimed) }));
    },
    /** Stops an evaluation: running trials are cancelled, the others not started. False if it is not running (here or in a live process). */
    cancel(id: string): boolean {
      const exec = active.get(id);
      if (exec) {
        exec.controller.abort('cancelled');
        for (const run of exec.runs) run.cancel();
        return true;
      }
      const record = evaluations.get(id);
      // Left running by a dead process: cancelled instead of resumed.
      if (record?.status === 'running' && (record.owner === null || !isOwnerProcessAlive(record.owner)) && evaluations.finish(id, 'cancelled')) {
        changed(id);
        return true;
      }
      return false;
    },
    /**
     * Adds `repeats` trials per failed or errored trial of the evaluation's own (not already
     * re-run), numbered after its cell and case's last, and runs them: a failure whose re-runs
     * all fail is systematic, one with a re-run that passes is flaky.
     */
    rerunFailures(id: string, repeats: number): { added: number; done: Promise<void> } {
      const record = evaluations.require(id);
      if (record.status === 'running' && !active.has(id) && record.owner !== null && isOwnerProcessAlive(record.owner)) {
        throw new EvaluationRequestError('the evaluation is running in another process: re-run its failures there, or once it has ended');
      }
      // A cancelled or failed evaluation has trials it never ran: re-running would run them too.
      if (record.status === 'cancelled' || record.status === 'failed') {
        throw new EvaluationRequestError(`the evaluation ${record.status}${record.error ? ` (${record.error})` : ''}: its failures are re-run only once it has completed; start a new evaluation`);
      }
      const trials = evaluations.trials(id);
      const rerun = new Set(trials.flatMap((t) => (t.rerun_of === null ? [] : [`${t.cell}/${t.case}/${t.rerun_of}`])));
      const failed = trials.filter((t) => t.rerun_of === null && (t.outcome === 'failed' || t.outcome === 'error') && !rerun.has(keyOf(t)));
      if (trials.length + failed.length * repeats > EVALUATION_LIMITS.totalTrials) {
        throw new EvaluationRequestError(`${failed.length} failures × ${repeats} re-runs would take the evaluation past ${EVALUATION_LIMITS.totalTrials} trials`);
      }
      const next = new Map<string, number>();
      for (const t of trials) next.set(`${t.cell}/${t.case}`, Math.max(next.get(`${t.cell}/${t.case}`) ?? 0, t.trial));
      const slots: TrialSlot[] = [];
      for (let r = 0; r < repeats; r++) {
        for (const t of failed) {
          const number = (next.get(`${t.cell}/${t.case}`) ?? 0) + 1;
          next.set(`${t.cell}/${t.case}`, number);
          slots.push({ cell: t.cell, case: t.case, trial: number, rerun_of: t.trial, executor: t.executor });
        }
      }
      if (slots.length === 0) return { added: 0, done: active.get(id)?.done ?? Promise.resolve() };
      evaluations.addTrials(id, slots, owner);
      changed(id);
      const exec = active.get(id);
      if (exec) {
        exec.pump();
        return { added: slots.length, done: exec.done };
      }
      return { added: slots.length, done: follow(id) };
    },
    /** Whether this process is running the evaluation. */
    isActive: (id: string): boolean => active.has(id),
    /** The end of an evaluation this process runs, or null. */
    wait: (id: string): Promise<void> | null => active.get(id)?.done ?? null,
    /** Stops every evaluation without recording an end (their running trials' runs are cancelled): the next start resumes them. */
    async close(): Promise<void> {
      const running = [...active.values()];
      for (const exec of running) {
        exec.controller.abort(SHUTDOWN);
        for (const run of exec.runs) run.cancel();
      }
      await Promise.all(running.map((exec) => exec.done));
    },
  };
}

export type EvaluationService = ReturnType<typeof createEvaluationService>;
