import type { Api } from '../../../shared/contract';
import { ApiError } from '../../../shared/rpc';
import type { Store } from '../store';
import { InvalidWorkflowError, STEP_TEMPLATES, type WorkflowRuntime } from '../workflows';
import { workflowJsonSchema } from '../workflows/json-schema';
import { lintWorkflowText } from '../workflows/lint';
import { workflowRunView } from '../workflows/run-view';
import { readTextFile } from '../runbook/read-file';
import type { RunbookPathCheck } from '../workspace/runbook-roots';
import { saveInsideFolders } from '../workspace/save-inside-folders';
import { isWorkflowFile, parseWorkflowText, workflowPlace } from '../workspace/workflow-files';
import type { Workspaces } from '../workspace/workspaces';

const activities = STEP_TEMPLATES.map((t) => ({
  activity_name: t.activity_name,
  category: t.category,
  description: t.description,
  parameters: t.parameters.map((p) => ({ name: p.name, type: p.type, description: p.description, required: p.required ?? false })),
  outputs: t.outputs,
}));

/** Workflow files in the open folders: schema, lint as you type, save, run (the runtime REST /run uses), the run's step graph. */
export function workflowHandlers(deps: { workflows: WorkflowRuntime; store: Store; workspaces: Workspaces; readable: RunbookPathCheck }) {
  const { workflows, store, workspaces, readable } = deps;
  const workflowFile = async (file: string) => {
    if (!isWorkflowFile(file)) throw new ApiError('invalid_input', `not a workflow file (*.workflow.json): ${file}`);
    return readable(file);
  };
  const schema = workflowJsonSchema();
  return {
    'workflow.schema': async () => ({ schema, activities }),
    'workflow.lint': async ({ path, text }) => {
      const file = await workflowFile(path);
      return { diagnostics: lintWorkflowText(path, text ?? (await readTextFile(file))).diagnostics };
    },
    'workflow.save': async ({ path, text }) => {
      if (!isWorkflowFile(path)) throw new ApiError('invalid_input', `not a workflow file (*.workflow.json): ${path}`);
      const folder = await saveInsideFolders((await workspaces.list()).map((w) => w.folder), path, text);
      void workspaces.open(folder).catch(() => undefined); // rescan: the list's counts follow the save
      return { diagnostics: lintWorkflowText(path, text).diagnostics };
    },
    'workflow.start': async ({ path, init_params }) => {
      const file = await workflowFile(path);
      let document: Record<string, unknown>;
      try {
        document = parseWorkflowText(await readTextFile(file)).document;
      } catch (error) {
        throw new ApiError('invalid_input', `${path}: not a workflow: ${(error as Error).message}`);
      }
      const { collection, name } = workflowPlace(file);
      try {
        return { trajectoryId: workflows.start({ collection, task: name, document, init_params }).id };
      } catch (error) {
        if (error instanceof InvalidWorkflowError) throw new ApiError('invalid_input', error.message);
        throw error;
      }
    },
    'workflow.cancel': async ({ trajectoryId }) => ({ cancelled: workflows.cancel(trajectoryId) }),
    'workflow.run': async ({ id }) => {
      const view = workflowRunView(store, id);
      if (!view) throw new ApiError('not_found', `no workflow run '${id}'`);
      return view;
    },
  } satisfies Partial<Api>;
}
