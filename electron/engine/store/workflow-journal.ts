import { addUsage } from '../../../shared/usage';
import { createHash } from 'node:crypto';
import type { EventLevel, Step, TrajectoryStatus, Usage } from '../../../shared/trajectory';
import type { TypedEvent } from '../../../shared/trajectory-events';
import type { StoreTable } from './changes';
import { nowIso, type StoreContext, writeTransaction } from './context';
import { StoreError } from './errors';
import type { EventsRepository } from './events';
import type { TrajectoriesRepository } from './trajectories';

/** What a workflow run needs to resume: its document, parameters, files, parent and owner. */
export interface WorkflowRunRecord {
  id: string;
  collection: string;
  task: string;
  document: Record<string, unknown>;
  init_params: Record<string, unknown>;
  files: string[];
  parent: { id: string; step: string; index: number } | null;
  status: 'running' | 'completed' | 'failed' | 'cancelled';
  owner: string | null;
}

/** A step as journaled: the attempt that produced it, its resolved inputs, outputs and error. */
export interface JournaledStep {
  status: TrajectoryStatus;
  attempt: number;
  inputs: Record<string, unknown>;
  outputs: Record<string, unknown>;
  error: string | null;
  started_at: string | null;
  ended_at: string | null;
  /** The key the attempt's model calls carry (null for a pure step). */
  idempotency_key: string | null;
}

/** An event of a workflow trajectory, written inside a journal transaction. */
export type JournalEvent = { level: EventLevel; step?: string | null } & TypedEvent;

export interface NewWorkflowRun {
  collection: string;
  task: string;
  document: Record<string, unknown>;
  init_params: Record<string, unknown>;
  files?: string[];
  owner: string;
  /** A fan-out child: its id is derived from (parent, step, index). */
  parent?: { id: string; step: string; index: number };
  /** A top-level run's id, chosen by its caller (a routine's firing claims it first); a fresh one by default. */
  id?: string;
}

/** The start of a step attempt that calls out: committed, with its idempotency key, before it does. */
export interface StepBegin {
  step: string;
  position: number;
  attempt: number;
  inputs: Record<string, unknown>;
  idempotency_key: string;
  events: JournalEvent[];
}

/** The end of one step attempt, committed at once with its events (and usage added to the run). */
export interface StepEnd {
  step: string;
  position: number;
  status: TrajectoryStatus;
  attempt: number;
  inputs: Record<string, unknown>;
  outputs: Record<string, unknown>;
  error?: string | null;
  started_at: string;
  usage?: Usage | null;
  idempotency_key?: string | null;
  events: JournalEvent[];
}

interface RunRow {
  id: string;
  collection: string;
  task: string;
  document: string;
  init_params: string;
  files: string;
  parent_id: string | null;
  parent_step: string | null;
  child_index: number | null;
  status: WorkflowRunRecord['status'];
  owner: string | null;
}

interface StepRow {
  name: string;
  status: TrajectoryStatus;
  attempt: number | null;
  inputs: string;
  outputs: string;
  error: string | null;
  started_at: string | null;
  ended_at: string | null;
  idempotency_key: string | null;
}

const RUN_COLUMNS = 'r.id, t.collection, t.task, r.document, r.init_params, r.files, r.parent_id, r.parent_step, r.child_index, r.status, r.owner';

const fromRunRow = (row: RunRow): WorkflowRunRecord => ({
  id: row.id,
  collection: row.collection,
  task: row.task,
  document: JSON.parse(row.document),
  init_params: JSON.parse(row.init_params),
  files: JSON.parse(row.files),
  parent: row.parent_id === null ? null : { id: row.parent_id, step: row.parent_step!, index: row.child_index! },
  status: row.status,
  owner: row.owner,
});

/** A child's trajectory id, the same on every resume: 8 hex characters of sha256(parent/step/index/salt). */
export function childTrajectoryId(parent: { id: string; step: string; index: number }, salt = 0): string {
  return createHash('sha256').update(`${parent.id}/${parent.step}/${parent.index}/${salt}`).digest('hex').slice(0, 8);
}

export type WorkflowJournal = ReturnType<typeof workflowJournalRepository>;

/**
 * The durable workflow journal (migration 4). Every write is one transaction that also
 * updates the trajectory the UI shows and appends its events, so what is journaled and
 * what is shown never disagree. The events of a workflow trajectory are written only here.
 */
export function workflowJournalRepository(ctx: StoreContext, repos: { trajectories: TrajectoriesRepository; events: EventsRepository }) {
  const { db } = ctx;
  const sql = {
    insertRun: db.prepare(
      `INSERT INTO workflow_runs (id, document, init_params, files, parent_id, parent_step, child_index, status, owner, created_at, updated_at)
       VALUES (@id, @document, @init_params, @files, @parent_id, @parent_step, @child_index, 'running', @owner, @now, @now)`,
    ),
    run: db.prepare<[string], RunRow>(`SELECT ${RUN_COLUMNS} FROM workflow_runs r JOIN trajectories t ON t.id = r.id WHERE r.id = ?`),
    child: db.prepare<[string, string, number], RunRow>(
      `SELECT ${RUN_COLUMNS} FROM workflow_runs r JOIN trajectories t ON t.id = r.id WHERE r.parent_id = ? AND r.parent_step = ? AND r.child_index = ?`,
    ),
    children: db.prepare<[string], RunRow>(`SELECT ${RUN_COLUMNS} FROM workflow_runs r JOIN trajectories t ON t.id = r.id WHERE r.parent_id = ? ORDER BY r.child_index`),
    childIndexes: db.prepare<[string, string], number>('SELECT child_index FROM workflow_runs WHERE parent_id = ? AND parent_step = ?').pluck(),
    treeSize: db.prepare<[string], { children: number; chars: number }>(
      `WITH RECURSIVE tree(id) AS (SELECT ? UNION ALL SELECT w.id FROM workflow_runs w JOIN tree ON w.parent_id = tree.id)
       SELECT (SELECT count(*) - 1 FROM tree) AS children,
              (SELECT coalesce(sum(length(r.document) + length(r.init_params)), 0) FROM workflow_runs r WHERE r.id IN tree)
            + (SELECT coalesce(sum(length(s.inputs) + length(s.outputs)), 0) FROM steps s WHERE s.trajectory_id IN tree) AS chars`,
    ),
    unfinishedUnder: db.prepare<[string, string], string>(
      `WITH RECURSIVE tree(id) AS (
         SELECT id FROM workflow_runs WHERE parent_id = ? AND parent_step = ?
         UNION ALL SELECT w.id FROM workflow_runs w JOIN tree ON w.parent_id = tree.id)
       SELECT r.id FROM workflow_runs r WHERE r.id IN tree AND r.status = 'running'`,
    ).pluck(),
    liveTopLevel: db.prepare<[], RunRow>(
      `SELECT ${RUN_COLUMNS} FROM workflow_runs r JOIN trajectories t ON t.id = r.id WHERE r.status = 'running' AND r.parent_id IS NULL`,
    ),
    setOwner: db.prepare('UPDATE workflow_runs SET owner = @owner, updated_at = @now WHERE id = @id AND owner IS @previous'),
    setStatus: db.prepare('UPDATE workflow_runs SET status = @status, updated_at = @now WHERE id = @id'),
    checkpoint: db.prepare("UPDATE steps SET outputs = ? WHERE trajectory_id = ? AND name = ? AND status = 'running'"),
    steps: db.prepare<[string], StepRow>(
      'SELECT name, status, attempt, inputs, outputs, error, started_at, ended_at, idempotency_key FROM steps WHERE trajectory_id = ? ORDER BY position',
    ),
    putStep: db.prepare(`
      INSERT INTO steps (trajectory_id, name, position, status, inputs, outputs, started_at, ended_at, attempt, error, idempotency_key)
      VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
      ON CONFLICT (trajectory_id, name) DO UPDATE SET status = excluded.status, inputs = excluded.inputs, outputs = excluded.outputs,
        started_at = excluded.started_at, ended_at = excluded.ended_at, attempt = excluded.attempt, error = excluded.error,
        idempotency_key = excluded.idempotency_key`),
  };

  const nextSeq = new Map<string, number>();
  const insertEvents = (id: string, events: readonly JournalEvent[], time: string): void => {
    if (events.length === 0) return;
    let seq = nextSeq.get(id) ?? repos.events.lastSeq(id) + 1;
    const redactor = ctx.redactorFor(id);
    repos.events.insertRows(events.map((e) => [id, seq++, time, e.level, e.type, e.step ?? null, redactor.redactJson(e.payload)] as const));
    nextSeq.set(id, seq);
  };
  /** Runs `write` in a write transaction (`writeTransaction`); the sequence numbers it took are given back if it fails. */
  const transaction = <A extends unknown[], R>(write: (...args: A) => R) => {
    const inner = writeTransaction(db, write);
    return (id: string, ...args: A): R => {
      const seq = nextSeq.get(id);
      try {
        return inner(...args);
      } catch (error) {
        if (seq === undefined) nextSeq.delete(id);
        else nextSeq.set(id, seq);
        throw error;
      }
    };
  };

  const createRun = writeTransaction(db, (input: NewWorkflowRun): WorkflowRunRecord => {
    const parent = input.parent ?? null;
    if (parent) {
      const existing = sql.child.get(parent.id, parent.step, parent.index);
      if (existing) return resumable(fromRunRow(existing));
    }
    let id = input.id ?? repos.trajectories.freshId();
    if (parent) for (let salt = 0; repos.trajectories.exists((id = childTrajectoryId(parent, salt))); salt++);
    repos.trajectories.create(id, { collection: input.collection, task: input.task, kind: 'workflow', status: 'running', init_params: input.init_params });
    const now = nowIso();
    const redactor = ctx.redactorFor(id);
    sql.insertRun.run({
      id,
      document: redactor.redactJson(input.document),
      init_params: redactor.redactJson(input.init_params),
      files: JSON.stringify(input.files ?? []),
      parent_id: parent?.id ?? null,
      parent_step: parent?.step ?? null,
      child_index: parent?.index ?? null,
      owner: input.owner,
      now,
    });
    insertEvents(id, [{ level: 'info', type: 'status', payload: { status: 'running', ...(parent ? { parent: parent.id, parent_step: parent.step, index: parent.index } : {}) } }], now);
    const { collection, task, document, init_params, files = [], owner } = input;
    // The run goes on with what it was given; the journal keeps it redacted (see `resumable`).
    return { id, collection, task, document, init_params, files, parent, status: 'running', owner };
  });

  const putStep = (id: string, name: string, position: number, step: Step & { attempt: number; error: string | null; idempotency_key: string | null }): void => {
    const redactor = ctx.redactorFor(id);
    // Positional parameters: binding by name costs a property lookup per column on every step.
    sql.putStep.run(
      id,
      name,
      position,
      step.status,
      redactor.redactJson(step.inputs),
      redactor.redactJson(step.outputs),
      step.started_at ?? null,
      step.ended_at ?? null,
      step.attempt,
      step.error === null ? null : redactor.redact(step.error),
      step.idempotency_key,
    );
  };

  const beginStep = transaction((id: string, begin: StepBegin) => {
    const now = nowIso();
    putStep(id, begin.step, begin.position, { status: 'running', inputs: begin.inputs, outputs: {}, started_at: now, ended_at: null, attempt: begin.attempt, error: null, idempotency_key: begin.idempotency_key });
    insertEvents(id, begin.events, now);
    return now;
  });

  const writeEnd = (id: string, end: StepEnd, now: string): void => {
    const { status, inputs, outputs, started_at, attempt } = end;
    putStep(id, end.step, end.position, { status, inputs, outputs, started_at, ended_at: now, attempt, error: end.error ?? null, idempotency_key: end.idempotency_key ?? null });
    if (end.usage) repos.trajectories.update(id, { usage: addUsage(repos.trajectories.get(id)!.usage, end.usage) });
    insertEvents(id, end.events, now);
  };
  const endStep = transaction((id: string, end: StepEnd) => writeEnd(id, end, nowIso()));
  const endSteps = transaction((id: string, ends: readonly StepEnd[]) => {
    const now = nowIso();
    for (const end of ends) writeEnd(id, end, now);
  });

  const appendEvents = transaction((id: string, events: JournalEvent[]) => insertEvents(id, events, nowIso()));

  const checkpointStep = transaction((id: string, step: string, outputs: Record<string, unknown>, events: JournalEvent[]) => {
    if (sql.checkpoint.run(ctx.redactorFor(id).redactJson(outputs), id, step).changes !== 1) throw new StoreError('not_found', `No running step '${step}' in workflow run '${id}'.`);
    insertEvents(id, events, nowIso());
  });

  const writeFinish = (id: string, status: 'completed' | 'failed' | 'cancelled', error: string | null, events: JournalEvent[]): void => {
    sql.setStatus.run({ id, status, now: nowIso() });
    repos.trajectories.update(id, { status, error });
    insertEvents(id, [...events, { level: status === 'completed' ? 'info' : 'error', type: 'status', payload: { status, ...(error ? { error } : {}) } }], nowIso());
  };
  const finishRun = transaction((id: string, status: 'completed' | 'failed' | 'cancelled', error: string | null, events: JournalEvent[], ends: readonly StepEnd[]) => {
    for (const end of ends) writeEnd(id, end, nowIso());
    writeFinish(id, status, error, events);
  });
  const cancelRuns = writeTransaction(db, (ids: readonly string[], error: string) => {
    for (const id of ids) writeFinish(id, 'cancelled', error, []);
  });

  /** Announces a commit's tables; returns an identity so a call reads `changed(...)(write())`. */
  const changed =
    (id: string, ...tables: StoreTable[]) =>
    <T>(value: T): T => {
      for (const table of tables) ctx.changes.emit({ table, trajectoryId: id });
      return value;
    };

  /**
   * A journaled run as work that resumes it needs it: the journal keeps documents,
   * parameters and outputs redacted, and the shared secrets (the vault's, the
   * collections') are put back by name. A run's own secrets live only as long as its
   * process, so a resumed run sees their markers.
   */
  const resumable = (run: WorkflowRunRecord): WorkflowRunRecord => ({ ...run, document: ctx.restoreShared(run.document), init_params: ctx.restoreShared(run.init_params) });

  /** The journaled steps of a run, by name (redacted, as stored). */
  const journaledSteps = (id: string): Map<string, JournaledStep> =>
    new Map(
      sql.steps.all(id).map((row) => [
        row.name,
        {
          status: row.status,
          attempt: row.attempt ?? 0,
          inputs: JSON.parse(row.inputs),
          outputs: JSON.parse(row.outputs),
          error: row.error,
          started_at: row.started_at,
          ended_at: row.ended_at,
          idempotency_key: row.idempotency_key,
        },
      ]),
    );

  const claim = (id: string, owner: string, previous: string | null): boolean => sql.setOwner.run({ id, owner, previous, now: nowIso() }).changes === 1;

  const requireRun = (id: string): WorkflowRunRecord => {
    const row = sql.run.get(id);
    if (!row) throw new StoreError('not_found', `No workflow run '${id}'.`);
    return fromRunRow(row);
  };

  return {
    /** Creates the trajectory and its journal row in one transaction; a child that exists is returned as it is. */
    createRun(input: NewWorkflowRun): WorkflowRunRecord {
      const run = createRun(input);
      return changed(run.id, 'trajectories', 'events')(run);
    },
    getRun: (id: string): WorkflowRunRecord | null => {
      const row = sql.run.get(id);
      return row ? fromRunRow(row) : null;
    },
    requireRun,
    /** The child a fan-out step started for `index`, if any, to adopt (see `resumable`). */
    child: (parentId: string, step: string, index: number): WorkflowRunRecord | null => {
      const row = sql.child.get(parentId, step, index);
      return row ? resumable(fromRunRow(row)) : null;
    },
    children: (parentId: string): WorkflowRunRecord[] => sql.children.all(parentId).map(fromRunRow),
    /** The indexes of the children a fan-out step has journaled. */
    childIndexes: (parentId: string, step: string): Set<number> => new Set(sql.childIndexes.all(parentId, step)),
    /** How many runs a root run has under it, and the characters they journal (documents, parameters, step inputs and outputs), itself included. */
    treeSize: (rootId: string): { children: number; chars: number } => sql.treeSize.get(rootId)!,
    /** The runs still marked running under a fan-out step (its children and theirs). */
    unfinishedUnder: (parentId: string, step: string): string[] => sql.unfinishedUnder.all(parentId, step),
    /** Ends runs nobody runs any more (children of a fan-out that stopped) as cancelled with `error`, in one transaction. */
    cancelRuns(ids: readonly string[], error: string): void {
      cancelRuns(ids, error);
      for (const id of ids) {
        changed(id, 'trajectories', 'events')(null);
        nextSeq.delete(id);
      }
    },
    /** The journaled steps of a run, by name, as a resume needs them: their inputs and outputs with the shared secrets put back. */
    resumeSteps(id: string): Map<string, JournaledStep> {
      const steps = journaledSteps(id);
      for (const step of steps.values()) Object.assign(step, { inputs: ctx.restoreShared(step.inputs), outputs: ctx.restoreShared(step.outputs) });
      return steps;
    },
    /** The journaled steps of a run, by name (redacted, as stored). */
    steps: journaledSteps,
    /** Commits a step attempt as running, with its idempotency key (for steps that call out); returns its start time. */
    beginStep: (id: string, begin: StepBegin) => changed(id, 'steps', 'events')(beginStep(id, id, begin)),
    /** Commits the end of a step attempt: status, attempt, inputs, outputs, error, events, usage. */
    endStep(id: string, end: StepEnd): void {
      // Only the tables this commit wrote: most steps of a long run write their row and nothing else.
      const tables: StoreTable[] = ['steps'];
      if (end.events.length > 0) tables.push('events');
      if (end.usage) tables.push('trajectories');
      changed(id, ...tables)(endStep(id, id, end));
    },
    /** Commits the ends of several step attempts in one transaction (pure steps journaled together). */
    endSteps(id: string, ends: readonly StepEnd[]): void {
      const tables: StoreTable[] = ['steps'];
      if (ends.some((e) => e.events.length > 0)) tables.push('events');
      if (ends.some((e) => e.usage)) tables.push('trajectories');
      changed(id, ...tables)(endSteps(id, id, ends));
    },
    appendEvents: (id: string, events: JournalEvent[]): void => changed(id, 'events')(appendEvents(id, id, events)),
    /**
     * Commits what a running attempt has set going outside (a Replicate prediction's id, a
     * child run's id) as its outputs so far: an attempt a crash interrupts finds them on resume.
     */
    checkpointStep: (id: string, step: string, outputs: Record<string, unknown>, events: JournalEvent[] = []): void =>
      changed(id, 'steps', 'events')(checkpointStep(id, id, step, outputs, events)),
    /**
     * Commits how a run ended, with the ends of its last steps (`ends`, pure steps journaled
     * with it); its next sequence number is forgotten (a long-lived engine runs many).
     */
    finishRun(id: string, status: 'completed' | 'failed' | 'cancelled', error: string | null = null, events: JournalEvent[] = [], ends: readonly StepEnd[] = []): void {
      const tables: StoreTable[] = ends.length > 0 ? ['steps', 'trajectories', 'events'] : ['trajectories', 'events'];
      changed(id, ...tables)(finishRun(id, id, status, error, events, ends));
      nextSeq.delete(id);
    },
    /** Top-level runs (or just `only`) still marked running whose owner is not alive, each claimed for `owner` (another process may race). */
    claimInterrupted(owner: string, isAlive: (owner: string) => boolean, only?: string): WorkflowRunRecord[] {
      return sql.liveTopLevel
        .all()
        .filter((row) => (only === undefined || row.id === only) && row.owner !== owner && (row.owner === null || !isAlive(row.owner)) && claim(row.id, owner, row.owner))
        .map((row) => ({ ...resumable(fromRunRow(row)), owner }));
    },
    /** Takes over a run (a child being adopted) when its owner is `previous`; false if someone else has it. */
    claim,
  };
}
