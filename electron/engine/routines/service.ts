/**
 * Routines: scheduled runs of a task (a runbook or a workflow), with Jetty's routine API.
 * The scheduler runs while an engine does (the app, `jetty serve`): it wakes at the next
 * slot, and at least every `maxWaitMs`, so a sleep or a clock jump is noticed; a slot is
 * fired by claiming it in the store first (one row per routine and slot, with the run's
 * id chosen then), so a second process or a restart never fires it again, and a claim a
 * killed process left is launched at start when its run does not exist. After a sleep or a
 * restart, the slots that passed fire once, for the latest, and the firing says how many it
 * stands for. Time comes from an injected clock (tests move it by hand).
 */
import { CadenceSchema, firingNote, type Cadence, type NewRoutineInput, type Routine, type RoutineFiring, type RoutinePatchInput } from '../../../shared/routines';
import type { Trajectory } from '../../../shared/trajectory';
import type { SecretVault } from '../secrets/vault';
import type { RoutineFiring as FiringRecord, RoutineRecord, Store } from '../store';
import type { WebhookService } from '../webhooks/delivery';
import { slotAfter, slotAtOrBefore, slotsBetween } from './cadence';

/** Where time comes from: the system's, or a test's hand-moved clock. */
export interface Clock {
  now(): number;
  /** Calls `fn` after `ms`; returns the cancel. */
  setTimer(ms: number, fn: () => void): () => void;
}

export const systemClock: Clock = {
  now: () => Date.now(),
  setTimer(ms, fn) {
    const timer = setTimeout(fn, ms);
    timer.unref();
    return () => clearTimeout(timer);
  },
};

/** How a routine's task is known and started (the REST door's: the same catalog and run start as POST /run). */
export interface TaskLauncher {
  /** The task's kind and parameter names; null when there is no such task. */
  describe(collection: string, task: string): Promise<{ kind: 'runbook' | 'workflow'; params: string[] } | null>;
  /** Starts a run of the task under `trajectoryId`. */
  launch(order: { collection: string; task: string; initParams: Record<string, unknown>; secretParams: Record<string, string>; trajectoryId: string }): Promise<void>;
}

/** A refusal of a routine request, with what kind (the REST door maps it to a status). */
export class RoutineError extends Error {
  constructor(
    readonly kind: 'not_found' | 'bad_request' | 'conflict',
    message: string,
  ) {
    super(message);
    this.name = 'RoutineError';
  }
}

/** A routine's run, as its runs list answers it: the trajectory tagged with the routine, and the firing. */
export type RoutineRun = RoutineFiring & { trajectory: (Trajectory & { triggered_by_routine_id: number }) | null };

export interface RoutineService {
  /** Every routine, or a collection's, or a task's. */
  list(collection?: string, task?: string): Routine[];
  get(collection: string, task: string, name: string): Routine;
  create(collection: string, task: string, input: NewRoutineInput): Promise<Routine>;
  update(collection: string, task: string, name: string, patch: RoutinePatchInput): Promise<Routine>;
  remove(collection: string, task: string, name: string): void;
  pause(collection: string, task: string, name: string): Routine;
  resume(collection: string, task: string, name: string): Routine;
  runNow(collection: string, task: string, name: string): Promise<{ workflow_id: string; trajectory_id: string }>;
  runs(collection: string, task: string, name: string, limit?: number): RoutineRun[];
  /** The routine id that started a trajectory, if one did. */
  routineOf(trajectoryId: string): number | null;
  /** Fires what is due now (the timer calls it); resolves when those runs have started. */
  tick(): Promise<void>;
  /** Launches claims a killed process left, then keeps the schedule. */
  start(): Promise<void>;
  close(): void;
}

const iso = (t: number) => new Date(t).toISOString();
const secretName = (routineId: number, param: string) => `jetty.routine.${routineId}.secret.${param}`;
const webhookSecretName = (routineId: number) => `jetty.routine.${routineId}.webhook_secret`;
export const MAX_ROUTINE_RUNS = 100;

export function createRoutineService(deps: {
  store: Store;
  vault: Pick<SecretVault, 'get' | 'set' | 'delete'>;
  launcher: TaskLauncher;
  webhooks: Pick<WebhookService, 'attach'>;
  clock?: Clock;
  /** The longest the scheduler sleeps before looking again. */
  maxWaitMs?: number;
  onChange?(): void;
}): RoutineService {
  const { store, vault, launcher } = deps;
  const clock = deps.clock ?? systemClock;
  const maxWait = deps.maxWaitMs ?? 60_000;
  const repo = store.routines();
  let cancelTimer: (() => void) | null = null;
  let closed = false;
  let ticking: Promise<void> | null = null;

  const cadenceOf = (r: RoutineRecord): Cadence => CadenceSchema.parse(r.cadence);
  /** Slots after this are due: the later of `schedule_from` and the last slot fired. */
  const dueAfter = (r: RoutineRecord) => Math.max(Date.parse(r.schedule_from), Date.parse(repo.lastSlot(r.id) ?? r.schedule_from));

  const view = (r: RoutineRecord): Routine => {
    const next = r.paused ? null : slotAfter(cadenceOf(r), Math.max(clock.now(), dueAfter(r)));
    const last = repo.firings(r.id, 1)[0];
    return {
      id: r.id,
      collection: r.collection,
      task: r.task,
      name: r.name,
      cadence: cadenceOf(r),
      init_params_overrides: r.init_params_overrides,
      secret_params: r.secret_params,
      paused: r.paused,
      webhook_url: r.webhook_url,
      webhook_secret_set: r.webhook_secret,
      next_run_at: next === null ? null : iso(next),
      last_run_at: last?.fired_at ?? null,
      created_at: r.created_at,
      updated_at: r.updated_at,
    };
  };
  const find = (c: string, t: string, name: string): RoutineRecord => {
    const r = repo.get(c, t, name);
    if (!r) throw new RoutineError('not_found', `no routine '${name}' for ${c}/${t}`);
    return r;
  };
  const changed = <T>(value: T): T => {
    deps.onChange?.();
    arm();
    return value;
  };

  /** The task's parameters must include every override (a workflow takes no secret parameters: they would be stored as parameters). */
  async function checkTask(c: string, t: string, overrides: Record<string, unknown> | undefined, secrets: Record<string, string> | undefined) {
    const task = await launcher.describe(c, t);
    if (!task) throw new RoutineError('not_found', `no task '${t}' in collection '${c}'`);
    const unknown = Object.keys(overrides ?? {}).filter((k) => !task.params.includes(k));
    if (unknown.length > 0) {
      throw new RoutineError('bad_request', `init_params_overrides: ${unknown.join(', ')} ${unknown.length === 1 ? 'is not a parameter' : 'are not parameters'} of ${c}/${t} (it takes ${task.params.join(', ') || 'none'})`);
    }
    if (task.kind === 'workflow' && secrets && Object.keys(secrets).length > 0) {
      throw new RoutineError('bad_request', `secret_params: ${c}/${t} is a workflow, which takes no secret parameters; set them in the collection's environment`);
    }
  }

  function storeSecrets(r: RoutineRecord, secrets: Record<string, string> | undefined, webhookSecret: string | null | undefined): void {
    if (secrets) {
      for (const old of r.secret_params) if (!(old in secrets)) vault.delete(secretName(r.id, old));
      for (const [param, value] of Object.entries(secrets)) vault.set(secretName(r.id, param), value);
    }
    if (webhookSecret) vault.set(webhookSecretName(r.id), webhookSecret);
    else if (webhookSecret === null) vault.delete(webhookSecretName(r.id));
  }

  /** Starts the run a claimed firing names, tags it with the routine and gives it the routine's webhook. */
  async function launch(r: RoutineRecord, firing: FiringRecord): Promise<void> {
    try {
      const secretParams = Object.fromEntries(r.secret_params.map((p) => [p, vault.get(secretName(r.id, p)) ?? '']));
      await launcher.launch({ collection: r.collection, task: r.task, initParams: r.init_params_overrides, secretParams, trajectoryId: firing.trajectory_id });
      adopt(r, firing);
    } catch (error) {
      repo.settle(firing.id, 'failed', (error as Error).message);
    }
  }
  const adopt = (r: RoutineRecord, firing: FiringRecord) => {
    store.addLabel(firing.trajectory_id, { key: 'routine', value: r.name, author: 'routine' });
    if (r.webhook_url) deps.webhooks.attach(firing.trajectory_id, r.webhook_url, r.webhook_secret ? { vaultName: webhookSecretName(r.id) } : null);
    repo.settle(firing.id, 'started');
  };

  async function fire(r: RoutineRecord, slot: string | null, missed: number): Promise<FiringRecord | null> {
    const firing = repo.claim({ routine_id: r.id, slot, trigger: slot === null ? 'manual' : 'schedule', missed, trajectory_id: store.freshTrajectoryId(), fired_at: iso(clock.now()) });
    if (!firing) return null; // another process claimed this slot
    await launch(r, firing);
    deps.onChange?.();
    return firing;
  }

  async function tickOnce(): Promise<void> {
    const now = clock.now();
    for (const r of repo.list()) {
      if (r.paused || closed) continue;
      const cadence = cadenceOf(r);
      const due = slotAtOrBefore(cadence, now);
      const after = dueAfter(r);
      if (due === null || due <= after) continue;
      await fire(r, iso(due), slotsBetween(cadence, after, due) - 1);
    }
  }

  function arm(): void {
    cancelTimer?.();
    cancelTimer = null;
    if (closed) return;
    const now = clock.now();
    const next = Math.min(
      ...repo
        .list()
        .filter((r) => !r.paused)
        .map((r) => slotAfter(cadenceOf(r), Math.max(now, dueAfter(r))) ?? Infinity),
    );
    cancelTimer = clock.setTimer(Math.max(0, Math.min(next - now, maxWait)), () => void service.tick());
  }

  const service: RoutineService = {
    list: (c, t) => repo.list(c, t).map(view),
    get: (c, t, name) => view(find(c, t, name)),
    async create(c, t, input) {
      if (repo.get(c, t, input.name)) throw new RoutineError('conflict', `a routine named '${input.name}' already exists for ${c}/${t}`);
      await checkTask(c, t, input.init_params_overrides, input.secret_params);
      const r = repo.create({
        collection: c,
        task: t,
        name: input.name,
        cadence: input.cadence,
        init_params_overrides: input.init_params_overrides ?? {},
        secret_params: Object.keys(input.secret_params ?? {}),
        paused: input.paused ?? false,
        webhook_url: input.webhook_url ?? null,
        webhook_secret: Boolean(input.webhook_secret),
        schedule_from: iso(clock.now()),
      });
      storeSecrets(r, input.secret_params, input.webhook_secret);
      return changed(view(r));
    },
    async update(c, t, name, patch) {
      const r = find(c, t, name);
      await checkTask(c, t, patch.init_params_overrides ?? r.init_params_overrides, patch.secret_params);
      storeSecrets(r, patch.secret_params, patch.webhook_secret);
      const cadenceChanged = patch.cadence !== undefined && JSON.stringify(patch.cadence) !== JSON.stringify(r.cadence);
      const resumed = patch.paused === false && r.paused;
      const updated = repo.update(r.id, {
        ...(patch.cadence ? { cadence: patch.cadence } : {}),
        ...(patch.init_params_overrides ? { init_params_overrides: patch.init_params_overrides } : {}),
        ...(patch.secret_params ? { secret_params: Object.keys(patch.secret_params) } : {}),
        ...(patch.paused !== undefined ? { paused: patch.paused } : {}),
        ...(patch.webhook_url !== undefined ? { webhook_url: patch.webhook_url } : {}),
        ...(patch.webhook_secret !== undefined ? { webhook_secret: Boolean(patch.webhook_secret) } : {}),
        // A new cadence, or a resume, counts from now: its earlier slots (or the paused time) are not made up.
        ...(cadenceChanged || resumed ? { schedule_from: iso(clock.now()) } : {}),
      });
      return changed(view(updated));
    },
    remove(c, t, name) {
      const r = find(c, t, name);
      for (const param of r.secret_params) vault.delete(secretName(r.id, param));
      vault.delete(webhookSecretName(r.id));
      repo.remove(r.id);
      changed(undefined);
    },
    pause: (c, t, name) => changed(view(repo.update(find(c, t, name).id, { paused: true }))),
    resume(c, t, name) {
      const r = find(c, t, name);
      return changed(view(r.paused ? repo.update(r.id, { paused: false, schedule_from: iso(clock.now()) }) : r));
    },
    async runNow(c, t, name) {
      const r = find(c, t, name);
      const firing = (await fire(r, null, 0))!;
      const settled = repo.firings(r.id, MAX_ROUTINE_RUNS).find((f) => f.id === firing.id);
      if (settled?.state === 'failed') throw new RoutineError('bad_request', `routine '${name}' could not start its run: ${settled.error}`);
      return { workflow_id: firing.trajectory_id, trajectory_id: firing.trajectory_id };
    },
    runs(c, t, name, limit = 20) {
      const r = find(c, t, name);
      return repo.firings(r.id, Math.min(Math.max(1, limit), MAX_ROUTINE_RUNS)).map((f) => {
        const trajectory = store.getTrajectory(f.trajectory_id);
        return {
          trajectory_id: f.trajectory_id,
          trigger: f.trigger,
          slot: f.slot,
          missed: f.missed,
          state: f.state,
          error: f.error,
          fired_at: f.fired_at,
          note: firingNote(f),
          status: trajectory?.status ?? null,
          trajectory: trajectory ? { ...trajectory, triggered_by_routine_id: r.id } : null,
        };
      });
    },
    routineOf: (trajectoryId) => repo.firingOf(trajectoryId)?.routine_id ?? null,
    tick() {
      // One pass at a time: a tick asked for during one waits for it, then looks again.
      const pass = (ticking ?? Promise.resolve()).then(tickOnce).finally(() => {
        if (ticking === pass) ticking = null;
        arm();
      });
      ticking = pass;
      return pass;
    },
    async start() {
      // A claim whose run never started (the process stopped in between) is launched now; one whose run exists was launched.
      for (const firing of repo.claimed()) {
        const r = repo.byId(firing.routine_id);
        if (!r) continue;
        if (store.getTrajectoryHeader(firing.trajectory_id)) adopt(r, firing);
        else await launch(r, firing);
      }
      await service.tick();
    },
    close() {
      closed = true;
      cancelTimer?.();
    },
  };
  return service;
}
