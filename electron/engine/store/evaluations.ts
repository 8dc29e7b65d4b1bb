import type { EvaluationCase, EvaluationCell, EvaluationConcurrency, EvaluationStatus, EvaluationTrial, Executor, SuggestionOf } from '../../../shared/evaluations';
import type { TrialOutcome, TrialStage } from '../../../shared/evaluation-stats';
import { nowIso, type StoreContext, writeTransaction } from './context';
import { StoreError } from './errors';
import { randomTrajectoryId } from './ids';

/** What an evaluation asked for beyond its runbook: kept as one JSON document. */
export interface EvaluationDefinition {
  cells: EvaluationCell[];
  cases: EvaluationCase[];
  trials: number;
  concurrency: EvaluationConcurrency;
  timeout_seconds: number | null;
}

/** A stored evaluation (its definition redacted as stored, unless read to resume). */
export interface EvaluationRecord extends EvaluationDefinition {
  id: string;
  name: string;
  runbook_path: string;
  collection: string;
  task: string;
  content_hash: string;
  version: string | null;
  status: EvaluationStatus;
  error: string | null;
  owner: string | null;
  created_at: string;
  ended_at: string | null;
  /** When it evaluates a suggested edit: the evaluation the suggestion was made for and its number. */
  suggestion_of: SuggestionOf | null;
}

export interface NewEvaluation extends EvaluationDefinition {
  name: string;
  runbook_path: string;
  collection: string;
  task: string;
  content_hash: string;
  version: string | null;
  owner: string;
}

/** One trial of the plan, before it runs. */
export interface TrialSlot {
  cell: number;
  case: number;
  trial: number;
  rerun_of: number | null;
  executor: Executor;
}

/** Which trial: its cell, case and number. */
export type TrialKey = Pick<TrialSlot, 'cell' | 'case' | 'trial'>;

/** How a trial ended, as recorded. */
export interface TrialEnd {
  outcome: TrialOutcome;
  error_kind: string | null;
  error: string | null;
  stages: TrialStage[];
  duration_ms: number | null;
  input_tokens: number;
  output_tokens: number;
  cost_usd: number;
}

/** A runbook run as a dashboard counts it. */
export interface TaskRunRow {
  id: string;
  created_at: string;
  verdict: 'passed' | 'failed' | 'none';
  status: string;
  duration_ms: number | null;
  cost_usd: number;
}

/** A row of `evaluations`: the record with its definition and its suggestion as JSON. */
type EvaluationRow = Omit<EvaluationRecord, keyof EvaluationDefinition | 'suggestion_of'> & { definition: string; suggestion_of: string | null };

interface TrialRow {
  cell: number;
  case_index: number;
  trial: number;
  rerun_of: number | null;
  executor: Executor;
  state: EvaluationTrial['state'];
  attempt: number;
  trajectory_id: string | null;
  superseded: string;
  outcome: TrialOutcome | null;
  error_kind: string | null;
  error: string | null;
  stages: string;
  duration_ms: number | null;
  input_tokens: number;
  output_tokens: number;
  cost_usd: number;
  ended_at: string | null;
}

const SUGGESTION_OF = `(SELECT json_object('evaluation_id', st.evaluation_id, 'number', s.number) FROM suggestions s JOIN suggestion_sets st ON st.id = s.set_id WHERE s.reevaluation_id = evaluations.id)`;
const COLUMNS = `id, name, runbook_path, collection, task, content_hash, version, definition, status, error, owner, created_at, ended_at, ${SUGGESTION_OF} AS suggestion_of`;

const fromRow = (row: EvaluationRow): EvaluationRecord => {
  const { definition, suggestion_of, ...rest } = row;
  return { ...rest, ...(JSON.parse(definition) as EvaluationDefinition), suggestion_of: suggestion_of === null ? null : (JSON.parse(suggestion_of) as SuggestionOf) };
};

const fromTrialRow = (row: TrialRow): EvaluationTrial => ({
  cell: row.cell,
  case: row.case_index,
  trial: row.trial,
  rerun_of: row.rerun_of,
  executor: row.executor,
  state: row.state,
  attempt: row.attempt,
  trajectory_id: row.trajectory_id,
  superseded: JSON.parse(row.superseded) as string[],
  outcome: row.outcome,
  error_kind: row.error_kind,
  error: row.error,
  stages: JSON.parse(row.stages) as TrialStage[],
  duration_ms: row.duration_ms,
  input_tokens: row.input_tokens,
  output_tokens: row.output_tokens,
  cost_usd: row.cost_usd,
  ended_at: row.ended_at,
});

export type Evaluations = ReturnType<typeof evaluationsRepository>;

/**
 * Evaluations and their trials (migration 11). An evaluation's plan — every trial it will
 * run — is written with it in one transaction; a trial's run is committed (its trajectory
 * id) before it starts and its end when it ends, so a process that dies anywhere leaves
 * what a restart needs: the trials not started, the runs to adopt or start again. What is
 * written is redacted of the shared secrets (parameters, errors); `resumable` puts them
 * back for the work that resumes, as the workflow journal does.
 */
export function evaluationsRepository(ctx: StoreContext) {
  const { db } = ctx;
  const redactor = (id: string) => ctx.redactorFor(id);
  const sql = {
    insert: db.prepare(
      `INSERT INTO evaluations (id, name, runbook_path, collection, task, content_hash, version, definition, status, owner, created_at, updated_at)
       VALUES (@id, @name, @runbook_path, @collection, @task, @content_hash, @version, @definition, 'running', @owner, @now, @now)`,
    ),
    exists: db.prepare<[string], number>('SELECT 1 FROM evaluations WHERE id = ?').pluck(),
    get: db.prepare<[string], EvaluationRow>(`SELECT ${COLUMNS} FROM evaluations WHERE id = ?`),
    list: db.prepare<[number], EvaluationRow>(`SELECT ${COLUMNS} FROM evaluations ORDER BY created_at DESC, id LIMIT ?`),
    listOfTask: db.prepare<[string, string, number], EvaluationRow>(`SELECT ${COLUMNS} FROM evaluations WHERE collection = ? AND task = ? ORDER BY created_at DESC, id LIMIT ?`),
    live: db.prepare<[], EvaluationRow>(`SELECT ${COLUMNS} FROM evaluations WHERE status = 'running'`),
    ofRunbook: db.prepare<[string], EvaluationRow>(`SELECT ${COLUMNS} FROM evaluations WHERE runbook_path = ? ORDER BY created_at DESC, id LIMIT 1`),
    setOwner: db.prepare('UPDATE evaluations SET owner = @owner, updated_at = @now WHERE id = @id AND owner IS @previous'),
    finish: db.prepare("UPDATE evaluations SET status = @status, error = @error, updated_at = @now, ended_at = @now WHERE id = @id AND status = 'running'"),
    reopen: db.prepare("UPDATE evaluations SET status = 'running', error = NULL, owner = @owner, updated_at = @now, ended_at = NULL WHERE id = @id"),
    insertTrial: db.prepare(
      `INSERT INTO evaluation_trials (evaluation_id, cell, case_index, trial, rerun_of, executor, state) VALUES (@id, @cell, @case, @trial, @rerun_of, @executor, 'pending')`,
    ),
    trials: db.prepare<[string], TrialRow>('SELECT * FROM evaluation_trials WHERE evaluation_id = ? ORDER BY cell, case_index, trial'),
    trial: db.prepare<[string, number, number, number], TrialRow>('SELECT * FROM evaluation_trials WHERE evaluation_id = ? AND cell = ? AND case_index = ? AND trial = ?'),
    begin: db.prepare(
      `UPDATE evaluation_trials SET state = 'running', attempt = @attempt, trajectory_id = @trajectory_id, superseded = @superseded, started_at = @now
       WHERE evaluation_id = @id AND cell = @cell AND case_index = @case AND trial = @trial AND state != 'ended'`,
    ),
    end: db.prepare(
      `UPDATE evaluation_trials SET state = 'ended', outcome = @outcome, error_kind = @error_kind, error = @error, stages = @stages, duration_ms = @duration_ms,
         input_tokens = @input_tokens, output_tokens = @output_tokens, cost_usd = @cost_usd, ended_at = @now
       WHERE evaluation_id = @id AND cell = @cell AND case_index = @case AND trial = @trial AND state != 'ended'`,
    ),
    ofTrajectory: db.prepare<[string], { evaluation_id: string; cell: number; case_index: number; trial: number }>(
      'SELECT evaluation_id, cell, case_index, trial FROM evaluation_trials WHERE trajectory_id = ?',
    ),
    modelCalls: db.prepare<[string], { input: number | null; output: number | null; cost: number | null }>(
      `SELECT sum(json_extract(payload, '$.usage.prompt_tokens')) AS input, sum(json_extract(payload, '$.usage.completion_tokens')) AS output,
              sum(json_extract(payload, '$.cost_usd')) AS cost
       FROM events WHERE trajectory_id = ? AND type = 'model_call'`,
    ),
    lastModelCall: db.prepare<[string], { http_status: number | null; error: string | null }>(
      `SELECT json_extract(payload, '$.http_status') AS http_status, json_extract(payload, '$.error') AS error
       FROM events WHERE trajectory_id = ? AND type = 'model_call' ORDER BY seq DESC LIMIT 1`,
    ),
    taskRuns: db.prepare<[string, string, string, number], TaskRunRow & { started_at: string | null; ended_at: string | null }>(
      `SELECT t.id, t.created_at, t.evaluation_verdict AS verdict, t.status, t.started_at, t.ended_at,
              coalesce((SELECT sum(json_extract(e.payload, '$.cost_usd')) FROM events e WHERE e.trajectory_id = t.id AND e.type = 'model_call'), 0) AS cost_usd
       FROM trajectories t WHERE t.collection = ? AND t.task = ? AND t.kind = 'runbook' AND t.created_at >= ?
         AND NOT EXISTS (SELECT 1 FROM evaluation_trials et JOIN suggestions s ON s.reevaluation_id = et.evaluation_id WHERE et.trajectory_id = t.id)
       ORDER BY t.created_at LIMIT ?`,
    ),
  };

  const insertSlots = (id: string, slots: readonly TrialSlot[]): void => {
    for (const slot of slots) sql.insertTrial.run({ id, ...slot });
  };

  const create = writeTransaction(db, (input: NewEvaluation, slots: readonly TrialSlot[]): string => {
    let id = randomTrajectoryId();
    while (sql.exists.get(id)) id = randomTrajectoryId();
    const { cells, cases, trials, concurrency, timeout_seconds, owner, ...about } = input;
    sql.insert.run({
      id,
      ...about,
      name: redactor(id).redact(about.name),
      definition: redactor(id).redactJson({ cells, cases, trials, concurrency, timeout_seconds }),
      owner,
      now: nowIso(),
    });
    insertSlots(id, slots);
    return id;
  });

  const require = (id: string): EvaluationRecord => {
    const row = sql.get.get(id);
    if (!row) throw new StoreError('not_found', `No evaluation '${id}'.`);
    return fromRow(row);
  };

  const trialKey = (id: string, key: TrialKey) => ({ id, cell: key.cell, case: key.case, trial: key.trial });

  return {
    /** Stores an evaluation and its plan (every trial, pending) in one transaction; returns its id. */
    create: (input: NewEvaluation, slots: readonly TrialSlot[]): string => create(input, slots),
    get: (id: string): EvaluationRecord | null => {
      const row = sql.get.get(id);
      return row ? fromRow(row) : null;
    },
    require,
    /** The evaluation as work that resumes it needs it: its parameters with the shared secrets put back. */
    resumable: (id: string): EvaluationRecord => {
      const record = require(id);
      return { ...record, cells: ctx.restoreShared(record.cells), cases: ctx.restoreShared(record.cases) };
    },
    /** Newest first; of one runbook when `collection` and `task` are given. */
    list(filter: { collection?: string; task?: string; limit: number }): EvaluationRecord[] {
      const rows = filter.collection !== undefined && filter.task !== undefined ? sql.listOfTask.all(filter.collection, filter.task, filter.limit) : sql.list.all(filter.limit);
      return rows.map(fromRow);
    },
    /** The latest evaluation of the runbook at `runbookPath` (as stored: resolved), or null. */
    latestOf(runbookPath: string): EvaluationRecord | null {
      const row = sql.ofRunbook.get(runbookPath);
      return row ? fromRow(row) : null;
    },
    trials: (id: string): EvaluationTrial[] => sql.trials.all(id).map(fromTrialRow),
    trial(id: string, key: TrialKey): EvaluationTrial | null {
      const row = sql.trial.get(id, key.cell, key.case, key.trial);
      return row ? fromTrialRow(row) : null;
    },
    /** Adds trials to an evaluation's plan (re-runs of failures) and marks it running again, in one transaction. */
    addTrials: writeTransaction(db, (id: string, slots: readonly TrialSlot[], owner: string): void => {
      require(id);
      insertSlots(id, slots);
      sql.reopen.run({ id, owner, now: nowIso() });
    }),
    /**
     * Commits that a trial's run starts under `trajectory_id` (attempt `attempt`; earlier runs
     * a crash interrupted in `superseded`), before it starts: false if the trial has ended.
     */
    beginTrial(id: string, key: TrialKey, run: { trajectory_id: string; attempt: number; superseded: string[] }): boolean {
      return sql.begin.run({ ...trialKey(id, key), trajectory_id: run.trajectory_id, attempt: run.attempt, superseded: JSON.stringify(run.superseded), now: nowIso() }).changes === 1;
    },
    /** Commits how a trial ended (once: false if it had ended already). */
    endTrial(id: string, key: TrialKey, end: TrialEnd, trajectoryId: string | null): boolean {
      const r = redactor(trajectoryId ?? id);
      return (
        sql.end.run({
          ...trialKey(id, key),
          ...end,
          error: end.error === null ? null : r.redact(end.error),
          stages: r.redactJson(end.stages),
          now: nowIso(),
        }).changes === 1
      );
    },
    /** Ends a running evaluation (once). */
    finish(id: string, status: Exclude<EvaluationStatus, 'running'>, error: string | null = null): boolean {
      return sql.finish.run({ id, status, error: error === null ? null : redactor(id).redact(error), now: nowIso() }).changes === 1;
    },
    /** Running evaluations (or just `only`) whose owner is not alive, each claimed for `owner` (another process may race). */
    claimInterrupted(owner: string, isAlive: (owner: string) => boolean, only?: string): string[] {
      return sql.live
        .all()
        .filter((row) => (only === undefined || row.id === only) && row.owner !== owner && (row.owner === null || !isAlive(row.owner)))
        .filter((row) => sql.setOwner.run({ id: row.id, owner, previous: row.owner, now: nowIso() }).changes === 1)
        .map((row) => row.id);
    },
    /** The trial a run belongs to, if it is an evaluation's. */
    trialOf(trajectoryId: string): { evaluation_id: string; cell: number; case: number; trial: number } | null {
      const row = sql.ofTrajectory.get(trajectoryId);
      return row ? { evaluation_id: row.evaluation_id, cell: row.cell, case: row.case_index, trial: row.trial } : null;
    },
    /** Tokens and cost of a trajectory's model calls (the gateway's `model_call` events). */
    modelCallTotals(trajectoryId: string): { input_tokens: number; output_tokens: number; cost_usd: number } {
      const row = sql.modelCalls.get(trajectoryId);
      return { input_tokens: row?.input ?? 0, output_tokens: row?.output ?? 0, cost_usd: row?.cost ?? 0 };
    },
    /** The status and error of a trajectory's last model call, or null when it made none. */
    lastModelCall(trajectoryId: string): { http_status: number | null; error: string | null } | null {
      return sql.lastModelCall.get(trajectoryId) ?? null;
    },
    /** A runbook's runs since `since` (oldest first, at most `limit`), as a dashboard counts them (not a suggested edit's trials: an edited copy ran). */
    taskRuns(collection: string, task: string, since: string, limit: number): TaskRunRow[] {
      return sql.taskRuns.all(collection, task, since, limit).map(({ started_at, ended_at, ...row }) => ({
        ...row,
        duration_ms: started_at && ended_at ? Date.parse(ended_at) - Date.parse(started_at) : null,
      }));
    },
  };
}
