import { stat } from 'node:fs/promises';
import path from 'node:path';
import type { Workspace } from '../../../../shared/contract';
import type { Store, TaskRecord } from '../../store';
import { readWorkflowFile } from '../../workspace/workflow-files';
import { checkRelativePath } from './files-root';
import { HttpError } from './http';

/** A collection as the REST API shows it: created here, or found in an opened folder. */
export interface CollectionInfo {
  name: string;
  description: string;
  source: 'local' | 'folder';
  created_at: string | null;
}

/**
 * A task as the REST API shows it; a runbook task's workflow is `{runbook: <path>}`: a folder
 * runbook's own path, or for a task deployed here, its runbook's path in the task's deployed
 * folder (`{runbook: "RUNBOOK.md"}`, see task-folders.ts).
 */
export interface TaskInfo {
  collection: string;
  name: string;
  description: string;
  workflow: Record<string, unknown>;
  source: 'local' | 'folder';
  created_at: string | null;
  updated_at: string | null;
}

const fromRecord = (t: TaskRecord): TaskInfo => ({ ...t, source: 'local' });

/**
 * Collections and tasks: those created over REST (in the store) merged with the
 * runbooks (`runbooks/{collection}/{name}/RUNBOOK.md`) and workflow files
 * (`{collection}/{name}.workflow.json`) of the opened folders. A stored
 * task shadows a folder runbook of the same name. `deployedRoot` holds the folders of the
 * runbook tasks deployed here (`<collection>/<task>/`).
 */
export function createCatalogView(store: Store, workspaces: () => Promise<Workspace[]>, deployedRoot: string) {
  /** The open folders' tasks (of one collection, or only one task, when asked). */
  async function folderTasks(only: { collection?: string; name?: string } = {}): Promise<TaskInfo[]> {
    // The deployed tasks' folder is listed in the UI like an opened one; its tasks are the stored ones (their files are there).
    const entries = (await workspaces())
      .filter((ws) => ws.folder !== deployedRoot)
      .flatMap((ws) => ws.runbooks)
      .filter((r) => (only.collection === undefined || r.collection === only.collection) && (only.name === undefined || r.name === only.name));
    return Promise.all(
      entries.map(async (r) => ({
        collection: r.collection,
        name: r.name,
        description: r.title ?? '',
        // A workflow file's document as it is on disk now (an unreadable one: an empty document, refused when run).
        workflow: r.kind === 'workflow' ? await readWorkflowFile(r.path).then((f) => f.document, () => ({})) : { runbook: r.path },
        source: 'folder' as const,
        created_at: null,
        updated_at: null,
      })),
    );
  }

  async function collections(): Promise<CollectionInfo[]> {
    const byName = new Map<string, CollectionInfo>();
    for (const t of await folderTasks()) {
      byName.set(t.collection, { name: t.collection, description: '', source: 'folder', created_at: null });
    }
    for (const c of store.listCollections()) byName.set(c.name, { ...c, source: 'local' });
    return [...byName.values()].sort((a, b) => a.name.localeCompare(b.name));
  }

  async function tasks(collection: string): Promise<TaskInfo[]> {
    const byName = new Map<string, TaskInfo>();
    for (const t of await folderTasks({ collection })) byName.set(t.name, t);
    for (const t of store.listTasks(collection)) byName.set(t.name, fromRecord(t));
    return [...byName.values()].sort((a, b) => a.name.localeCompare(b.name));
  }

  /**
   * One task: the stored one (which wins over a folder's of the same name, as in `tasks`),
   * else the folder's. Read alone: a run's start does not parse every task of its collection.
   */
  async function task(collection: string, name: string): Promise<TaskInfo | null> {
    const stored = store.getTask(collection, name);
    if (stored) return fromRecord(stored);
    return (await folderTasks({ collection, name }))[0] ?? null;
  }

  /**
   * The runbook file a runbook task runs: a folder runbook's path, or the runbook of a task
   * deployed here, inside the task's deployed folder (a relative path never leaves it).
   * Refused (422) when the task deployed here has no such file: it was deployed without
   * its folder.
   */
  async function runbookFile(task: TaskInfo): Promise<string> {
    const runbook = task.workflow.runbook;
    if (typeof runbook !== 'string' || runbook === '') throw new HttpError(422, `task '${task.name}' is neither a workflow nor a runbook task`);
    if (task.source === 'folder' || path.isAbsolute(runbook)) return runbook;
    const file = path.join(deployedRoot, task.collection, task.name, ...checkRelativePath(runbook));
    if (!(await stat(file).catch(() => null))?.isFile()) {
      throw new HttpError(422, `task '${task.name}' has no ${runbook} in its deployed folder: deploy it again with its folder (jetty deploy, or the Cloud view's Deploy)`);
    }
    return file;
  }

  return {
    collections,
    runbookFile,
    /** The folder the runbook task `collection/task` deployed here keeps its files in. */
    deployedFolder: (collection: string, task: string) => path.join(deployedRoot, collection, task),
    collection: async (name: string) => (await collections()).find((c) => c.name === name) ?? null,
    tasks,
    task,
  };
}
export type CatalogView = ReturnType<typeof createCatalogView>;
