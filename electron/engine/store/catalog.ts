import { z } from 'zod';
import { NameSchema } from '../../../shared/names';
import { nowIso, type StoreContext } from './context';
import { StoreError } from './errors';
import { parseOrThrow } from './validate';

/** A collection created over the local Jetty API. */
export interface CollectionRecord {
  name: string;
  description: string;
  created_at: string;
}

/** A task: a name in a collection and its workflow document (or `{runbook: path}`). */
export interface TaskRecord {
  collection: string;
  name: string;
  description: string;
  workflow: Record<string, unknown>;
  created_at: string;
  updated_at: string;
}

const Description = z.string().max(10_000);
const Workflow = z.record(z.string(), z.unknown());
const NewCollectionSchema = z.object({ name: NameSchema, description: Description.default('') });
const NewTaskSchema = z.object({ name: NameSchema, description: Description.default(''), workflow: Workflow.default({}) });
const TaskPatchSchema = z.object({ description: Description.optional(), workflow: Workflow.optional() });

export type NewCollection = z.input<typeof NewCollectionSchema>;
export type NewTask = z.input<typeof NewTaskSchema>;
export type TaskPatch = z.input<typeof TaskPatchSchema>;

interface TaskRow extends Omit<TaskRecord, 'workflow'> {
  workflow: string;
}
const taskFromRow = (row: TaskRow): TaskRecord => ({ ...row, workflow: JSON.parse(row.workflow) });

export type CatalogRepository = ReturnType<typeof catalogRepository>;

/** Collections and tasks created over REST (added for the local Jetty API). */
export function catalogRepository(ctx: StoreContext) {
  const sql = {
    collections: ctx.db.prepare<[], CollectionRecord>('SELECT name, description, created_at FROM collections ORDER BY name'),
    insertCollection: ctx.db.prepare('INSERT INTO collections (name, description, created_at) VALUES (@name, @description, @created_at)'),
    tasks: ctx.db.prepare<[string], TaskRow>(
      'SELECT collection, name, description, workflow, created_at, updated_at FROM tasks WHERE collection = ? ORDER BY name',
    ),
    task: ctx.db.prepare<[string, string], TaskRow>(
      'SELECT collection, name, description, workflow, created_at, updated_at FROM tasks WHERE collection = ? AND name = ?',
    ),
    insertTask: ctx.db.prepare(
      'INSERT INTO tasks (collection, name, description, workflow, created_at, updated_at) ' +
        'VALUES (@collection, @name, @description, @workflow, @created_at, @updated_at)',
    ),
    updateTask: ctx.db.prepare(
      'UPDATE tasks SET description = @description, workflow = @workflow, updated_at = @updated_at WHERE collection = @collection AND name = @name',
    ),
    deleteTask: ctx.db.prepare('DELETE FROM tasks WHERE collection = ? AND name = ?'),
  };

  const isUnique = (error: unknown) => (error as { code?: string }).code === 'SQLITE_CONSTRAINT_PRIMARYKEY';

  const getTask = (collection: string, name: string): TaskRecord | null => {
    const row = sql.task.get(collection, name);
    return row ? taskFromRow(row) : null;
  };

  return {
    listCollections: (): CollectionRecord[] => sql.collections.all(),
    createCollection(input: NewCollection): CollectionRecord {
      const parsed = parseOrThrow(NewCollectionSchema, input, 'collection');
      const record = { ...parsed, created_at: nowIso() };
      try {
        sql.insertCollection.run(record);
      } catch (error) {
        if (isUnique(error)) throw new StoreError('invalid_input', `A collection named '${parsed.name}' already exists.`);
        throw error;
      }
      return record;
    },
    listTasks: (collection: string): TaskRecord[] => sql.tasks.all(collection).map(taskFromRow),
    getTask,
    createTask(collection: string, input: NewTask): TaskRecord {
      parseOrThrow(NameSchema, collection, 'collection name');
      const parsed = parseOrThrow(NewTaskSchema, input, 'task');
      const now = nowIso();
      const record: TaskRecord = { collection, ...parsed, created_at: now, updated_at: now };
      try {
        sql.insertTask.run({ ...record, workflow: JSON.stringify(record.workflow) });
      } catch (error) {
        if (isUnique(error)) throw new StoreError('invalid_input', `A task named '${parsed.name}' already exists in '${collection}'.`);
        throw error;
      }
      return record;
    },
    updateTask(collection: string, name: string, patch: TaskPatch): TaskRecord {
      const parsed = parseOrThrow(TaskPatchSchema, patch, 'task update');
      const previous = getTask(collection, name);
      if (!previous) throw new StoreError('not_found', `No task '${name}' in collection '${collection}'.`);
      const next: TaskRecord = {
        ...previous,
        description: parsed.description ?? previous.description,
        workflow: parsed.workflow ?? previous.workflow,
        updated_at: nowIso(),
      };
      sql.updateTask.run({ ...next, workflow: JSON.stringify(next.workflow) });
      return next;
    },
    deleteTask: (collection: string, name: string): boolean => sql.deleteTask.run(collection, name).changes > 0,
  };
}
