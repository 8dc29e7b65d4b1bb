import { rm } from 'node:fs/promises';
import { z } from 'zod';
import { NameSchema } from '../../../../shared/names';
import type { Store } from '../../store';
import { checkForRefusal, describeIssues, isWorkflowDocument } from '../../workflows';
import { MAX_WORKFLOW_DOCUMENT_CHARS } from '../../workflows/limits';
import type { Route } from '../router';
import type { CatalogView } from './catalog-view';
import { HttpError, readJson, rest, validate } from './http';

const Workflow = z.record(z.string(), z.unknown());
const NewTask = z.object({ name: z.string(), description: z.string().optional(), workflow: Workflow.optional() });
const TaskUpdate = z.object({ description: z.string().optional(), workflow: Workflow.optional() });
/** A task body: a workflow document at its bound, with room for the name, the description and escapes. */
const MAX_TASK_BODY_BYTES = 2 * MAX_WORKFLOW_DOCUMENT_CHARS;

/** A workflow (not a `{runbook}` task) must be valid to be stored: 422 naming its issues (the first 20) and where they are. */
function checkTaskWorkflow(workflow: Record<string, unknown>): void {
  if (!isWorkflowDocument(workflow)) return;
  const { issues } = checkForRefusal(workflow);
  if (issues.length > 0) throw new HttpError(422, describeIssues(issues, ['workflow']));
}

/**
 * `/tasks/{c}/…`: list, search, get, create, update, delete. Folder runbooks are read-only
 * here; a runbook task deployed here keeps its folder beside (task-folders.ts).
 */
export function taskRoutes(deps: { store: Store; catalog: CatalogView }): Route[] {
  const { store, catalog } = deps;
  const collection = async (name: string) => {
    if (!(await catalog.collection(validate(NameSchema, name, 'collection')))) throw new HttpError(404, `no collection named '${name}'`);
  };
  const task = async (c: string, t: string) => {
    const found = await catalog.task(validate(NameSchema, c, 'collection'), validate(NameSchema, t, 'task'));
    if (!found) throw new HttpError(404, `no task '${t}' in collection '${c}'`);
    return found;
  };
  const editable = async (c: string, t: string) => {
    if ((await task(c, t)).source === 'folder') {
      throw new HttpError(409, `'${t}' is a runbook in an opened folder: edit or delete its RUNBOOK.md instead`);
    }
  };
  return [
    rest('GET', '/tasks/:c', async ({ params }) => {
      await collection(params.c);
      return catalog.tasks(params.c);
    }),
    rest('GET', '/tasks/:c/search', async ({ params, url }) => {
      await collection(params.c);
      const q = (url.searchParams.get('q') ?? '').toLowerCase();
      return (await catalog.tasks(params.c)).filter((t) => `${t.name}\n${t.description}`.toLowerCase().includes(q));
    }),
    rest('GET', '/tasks/:c/:t', ({ params }) => task(params.c, params.t)),
    rest(
      'POST',
      '/tasks/:c',
      async (ctx) => {
        await collection(ctx.params.c);
        const body = await readJson(ctx, NewTask);
        if (body.workflow) checkTaskWorkflow(body.workflow);
        if (await catalog.task(ctx.params.c, body.name)) throw new HttpError(409, `a task named '${body.name}' already exists in '${ctx.params.c}'`);
        return { ...store.createTask(ctx.params.c, body), source: 'local' };
      },
      { status: 201, maxBodyBytes: MAX_TASK_BODY_BYTES },
    ),
    rest(
      'PUT',
      '/tasks/:c/:t',
      async (ctx) => {
        await editable(ctx.params.c, ctx.params.t);
        const body = await readJson(ctx, TaskUpdate);
        if (body.workflow) checkTaskWorkflow(body.workflow);
        return { ...store.updateTask(ctx.params.c, ctx.params.t, body), source: 'local' };
      },
      { maxBodyBytes: MAX_TASK_BODY_BYTES },
    ),
    rest('DELETE', '/tasks/:c/:t', async ({ params }) => {
      await editable(params.c, params.t);
      store.deleteTask(params.c, params.t);
      // A runbook task deployed here goes with its folder.
      await rm(catalog.deployedFolder(params.c, params.t), { recursive: true, force: true });
      return { deleted: true, collection: params.c, name: params.t };
    }),
  ];
}
