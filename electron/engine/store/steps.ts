import { StepSchema, type Step, type TrajectoryStatus } from '../../../shared/trajectory';
import { nowIso, type StoreContext } from './context';
import { stampStatusTimes } from './status-times';
import { parseOrThrow } from './validate';

interface StepRow {
  name: string;
  status: TrajectoryStatus;
  inputs: string;
  outputs: string;
  started_at: string | null;
  ended_at: string | null;
}

const StepPatchSchema = StepSchema.partial();

export type StepsRepository = ReturnType<typeof stepsRepository>;

/** Steps of a trajectory, keyed by name and kept in the order they first appeared. */
export function stepsRepository(ctx: StoreContext) {
  const sql = {
    put: ctx.db.prepare(`
      INSERT INTO steps (trajectory_id, name, position, status, inputs, outputs, started_at, ended_at)
      VALUES (@trajectory_id, @name, (SELECT count(*) FROM steps WHERE trajectory_id = @trajectory_id),
              @status, @inputs, @outputs, @started_at, @ended_at)
      ON CONFLICT (trajectory_id, name) DO UPDATE SET status = excluded.status, inputs = excluded.inputs,
        outputs = excluded.outputs, started_at = excluded.started_at, ended_at = excluded.ended_at`),
    get: ctx.db.prepare<[string, string], StepRow>(
      'SELECT name, status, inputs, outputs, started_at, ended_at FROM steps WHERE trajectory_id = ? AND name = ?',
    ),
    list: ctx.db.prepare<[string], StepRow>(
      'SELECT name, status, inputs, outputs, started_at, ended_at FROM steps WHERE trajectory_id = ? ORDER BY position',
    ),
    failRunning: ctx.db.prepare(
      "UPDATE steps SET status = 'failed', ended_at = coalesce(ended_at, ?) WHERE trajectory_id = ? AND status = 'running'",
    ),
  };

  const fromRow = (row: StepRow): Step => ({
    status: row.status,
    inputs: JSON.parse(row.inputs),
    outputs: JSON.parse(row.outputs),
    started_at: row.started_at,
    ended_at: row.ended_at,
  });

  /** Writes a complete step as is (used by update and by import). */
  const put = (trajectoryId: string, name: string, step: Step): void => {
    sql.put.run({
      trajectory_id: trajectoryId,
      name,
      status: step.status,
      inputs: JSON.stringify(step.inputs),
      outputs: JSON.stringify(step.outputs),
      started_at: step.started_at ?? null,
      ended_at: step.ended_at ?? null,
    });
  };

  return {
    put,
    /** Creates or merges into a step (redacted); a new step starts pending with empty inputs and outputs. */
    update(trajectoryId: string, name: string, patch: Partial<Step>): Step {
      const parsed = parseOrThrow(StepPatchSchema, patch, `step '${name}'`);
      const row = sql.get.get(trajectoryId, name);
      const previous: Step = row ? fromRow(row) : { status: 'pending', inputs: {}, outputs: {} };
      const next = stampStatusTimes({ ...previous, ...ctx.redactorFor(trajectoryId).redactValue(parsed) }, nowIso());
      put(trajectoryId, name, next);
      return next;
    },
    /** The steps as the cloud shapes them: an object keyed by step name, in order. */
    all(trajectoryId: string): Record<string, Step> {
      return Object.fromEntries(sql.list.all(trajectoryId).map((row) => [row.name, fromRow(row)]));
    },
    /** Marks steps still running as failed (their runner is gone); returns how many. */
    failRunning: (trajectoryId: string): number => sql.failRunning.run(nowIso(), trajectoryId).changes,
  };
}
