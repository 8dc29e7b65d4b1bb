/**
 * Jetty's public MCP tool catalog (names, inputs and annotations as the public server
 * `jetty-mcp-server` declares them), each mapped to the `/api/v1` call it mirrors on the
 * local API, so an agent's prompts work against either; the routine tools included. The
 * trial tools are left out (no trials here).
 */
import { z } from 'zod';
import { CadenceSchema } from '../../../shared/routines';
import { DESTRUCTIVE, READ, WRITE, defineTool, type JettyTool, type ToolAnnotations } from './tool';
import { seg, type RestCall } from './rest-dispatch';

const collection = () => z.string().describe('Collection name');
const task = () => z.string().describe('Task name');
const trajectoryId = () => z.string().describe('Trajectory id (the workflow_id a run returned)');
const routineName = () => z.string().describe('Routine name');
const cadence = () => CadenceSchema.describe('When it runs, in UTC: {type: manual|hourly|daily|weekdays|weekly, hour_utc?, minute_utc?, day_of_week? (mon…sun)}');
/** The fields a routine is created or updated with. */
const routineFields = () => ({
  init_params_overrides: z.record(z.string(), z.unknown()).optional().describe("Overrides of the task's own parameters (keys must be among them)"),
  secret_params: z.record(z.string(), z.string()).optional().describe('Secret parameters (kept in the vault, never shown again)'),
  paused: z.boolean().optional().describe('Created paused'),
  webhook_url: z.string().optional().describe('Where each run’s end is POSTed'),
  webhook_secret: z.string().optional().describe('Signs those POSTs (X-Mise-Signature)'),
});
const routinePath = (a: { collection: string; task: string; name: string }) => `/routines/${seg(a.collection)}/${seg(a.task)}/${seg(a.name)}`;

const initParams = () => z.record(z.string(), z.unknown()).optional().describe("Input parameters, merged key by key over the task's own init_params");

/** A public tool: its REST call, and what the answer becomes (the answer itself unless `answer` says). */
function restTool<S extends z.ZodRawShape>(tool: {
  name: string;
  title: string;
  description: string;
  inputSchema: S;
  annotations: ToolAnnotations;
  call(args: z.infer<z.ZodObject<S>>): RestCall;
  answer?(body: unknown, args: z.infer<z.ZodObject<S>>): unknown;
}): JettyTool {
  const { call, answer = (body: unknown) => body, ...declared } = tool;
  return defineTool<S>({ ...declared, run: async (args, ctx) => answer(await ctx.backend.rest(call(args), ctx.signal), args) });
}

/** The environment route answers its keys (values masked), bare or under `environment_variables` (the cloud's shape). */
const environmentKeys = (body: unknown): string[] => {
  const object = (body ?? {}) as Record<string, unknown>;
  return Object.keys((object.environment_variables as Record<string, unknown> | undefined) ?? object);
};

export const PUBLIC_TOOLS: readonly JettyTool[] = [
  restTool({
    name: 'list-collections',
    title: 'List collections',
    description: 'List every collection (opened folders and ones created here), with their task counts',
    inputSchema: {},
    annotations: READ,
    call: () => ({ method: 'GET', path: '/collections' }),
  }),
  restTool({
    name: 'get-collection',
    title: 'Get collection',
    description: "One collection: its details, its tasks and its environment variables' names (values are never shown)",
    inputSchema: { collection: collection() },
    annotations: READ,
    call: (a) => ({ method: 'GET', path: `/collections/${seg(a.collection)}` }),
  }),
  restTool({
    name: 'list-tasks',
    title: 'List tasks',
    description: "A collection's tasks (runbooks in opened folders and stored workflows)",
    inputSchema: { collection: collection() },
    annotations: READ,
    call: (a) => ({ method: 'GET', path: `/tasks/${seg(a.collection)}` }),
  }),
  restTool({
    name: 'get-task',
    title: 'Get task',
    description: 'One task with its workflow definition',
    inputSchema: { collection: collection(), task: task() },
    annotations: READ,
    call: (a) => ({ method: 'GET', path: `/tasks/${seg(a.collection)}/${seg(a.task)}` }),
  }),
  restTool({
    name: 'create-task',
    title: 'Create task',
    description: 'Create a task from a workflow document (init_params, step_configs, steps); it is checked before it is stored',
    inputSchema: {
      collection: collection(),
      name: z.string().describe('Task name'),
      description: z.string().optional().describe('Task description'),
      workflow: z.record(z.string(), z.unknown()).describe('Workflow JSON: init_params, step_configs and steps'),
    },
    annotations: WRITE,
    call: ({ collection, ...body }) => ({ method: 'POST', path: `/tasks/${seg(collection)}`, json: body }),
  }),
  restTool({
    name: 'update-task',
    title: 'Update task',
    description: "Replace a stored task's workflow and/or description",
    inputSchema: {
      collection: collection(),
      task: task(),
      workflow: z.record(z.string(), z.unknown()).optional().describe('The new workflow JSON'),
      description: z.string().optional().describe('The new description'),
    },
    annotations: WRITE,
    call: ({ collection, task, ...body }) => ({ method: 'PUT', path: `/tasks/${seg(collection)}/${seg(task)}`, json: body }),
  }),
  restTool({
    name: 'run-workflow',
    title: 'Run workflow',
    description: 'Start a run of a task and return at once with its workflow_id (follow it with get-trajectory)',
    inputSchema: { collection: collection(), task: task(), init_params: initParams() },
    annotations: WRITE,
    call: (a) => ({ method: 'POST', path: `/run/${seg(a.collection)}/${seg(a.task)}`, form: { init_params: JSON.stringify(a.init_params ?? {}) } }),
  }),
  restTool({
    name: 'run-workflow-sync',
    title: 'Run workflow (wait)',
    description: 'Run a task and wait for it to end; returns its status and trajectory',
    inputSchema: { collection: collection(), task: task(), init_params: initParams() },
    annotations: WRITE,
    call: (a) => ({ method: 'POST', path: `/run-sync/${seg(a.collection)}/${seg(a.task)}`, form: { init_params: JSON.stringify(a.init_params ?? {}) } }),
  }),
  restTool({
    name: 'list-trajectories',
    title: 'List runs',
    description: "A task's runs (trajectories), newest first, a page at a time",
    inputSchema: {
      collection: collection(),
      task: task(),
      limit: z.number().int().min(1).max(200).optional().default(10).describe('Runs per page'),
      page: z.number().int().min(1).optional().default(1).describe('Page number, from 1'),
    },
    annotations: READ,
    call: (a) => ({ method: 'GET', path: `/db/trajectories/${seg(a.collection)}/${seg(a.task)}`, query: { limit: a.limit, page: a.page } }),
  }),
  restTool({
    name: 'get-trajectory',
    title: 'Get run',
    description: 'One run in full: status, steps, evaluation, labels, artifacts and its events',
    inputSchema: { collection: collection(), task: task(), trajectory_id: trajectoryId() },
    annotations: READ,
    call: (a) => ({ method: 'GET', path: `/db/trajectory/${seg(a.collection)}/${seg(a.task)}/${seg(a.trajectory_id)}` }),
  }),
  restTool({
    name: 'get-stats',
    title: 'Get stats',
    description: "A task's run counts by status",
    inputSchema: { collection: collection(), task: task() },
    annotations: READ,
    call: (a) => ({ method: 'GET', path: `/db/stats/${seg(a.collection)}/${seg(a.task)}` }),
  }),
  restTool({
    name: 'add-label',
    title: 'Add label',
    description: 'Label a run (e.g. quality=high)',
    inputSchema: {
      collection: collection(),
      task: task(),
      trajectory_id: trajectoryId(),
      key: z.string().describe("Label key, e.g. 'quality'"),
      value: z.string().describe("Label value, e.g. 'high'"),
      author: z.string().describe("Who labels it (e.g. an email)"),
    },
    annotations: WRITE,
    call: ({ collection, task, trajectory_id, ...label }) => ({
      method: 'POST',
      path: `/trajectory/${seg(collection)}/${seg(task)}/${seg(trajectory_id)}/labels`,
      json: label,
    }),
  }),
  restTool({
    name: 'list-step-templates',
    title: 'List step templates',
    description: 'Every workflow step template (activity) this Jetty executes, with its parameters and outputs',
    inputSchema: {},
    annotations: READ,
    call: () => ({ method: 'GET', path: '/step-templates' }),
  }),
  restTool({
    name: 'get-step-template',
    title: 'Get step template',
    description: 'One step template: its parameters and outputs',
    inputSchema: { name: z.string().describe('Activity name, e.g. text_echo') },
    annotations: READ,
    call: (a) => ({ method: 'GET', path: `/step-templates/${seg(a.name)}` }),
  }),
  restTool({
    name: 'check-secrets',
    title: 'Check secrets',
    description: "Which of the keys a runbook needs are set in a collection's environment: {configured, missing, ready}",
    inputSchema: {
      collection: collection(),
      required_keys: z.array(z.string()).describe('Environment variable names the runbook needs'),
    },
    annotations: READ,
    call: (a) => ({ method: 'GET', path: `/collections/${seg(a.collection)}/environment` }),
    answer: (body, a) => {
      const configured = environmentKeys(body);
      const missing = a.required_keys.filter((key) => !configured.includes(key));
      return { configured, missing, ready: missing.length === 0 };
    },
  }),
  restTool({
    name: 'set-environment-vars',
    title: 'Set environment variables',
    description: "Set variables in a collection's environment (merged; null removes a key); answers the keys, values masked",
    inputSchema: {
      collection: collection(),
      variables: z.record(z.string(), z.string().nullable()).describe('Names to values; null removes the name'),
    },
    annotations: WRITE,
    call: (a) => ({ method: 'PATCH', path: `/collections/${seg(a.collection)}/environment`, json: { environment_variables: a.variables } }),
  }),
  restTool({
    name: 'list-routines',
    title: 'List routines',
    description: "A collection's routines (scheduled runs), or one task's",
    inputSchema: { collection: collection(), task: task().optional() },
    annotations: READ,
    call: (a) => ({ method: 'GET', path: `/routines/${seg(a.collection)}${a.task ? `/${seg(a.task)}` : ''}` }),
  }),
  restTool({
    name: 'get-routine',
    title: 'Get routine',
    description: 'One routine, with next_run_at',
    inputSchema: { collection: collection(), task: task(), name: routineName() },
    annotations: READ,
    call: (a) => ({ method: 'GET', path: routinePath(a) }),
  }),
  restTool({
    name: 'create-routine',
    title: 'Create routine',
    description: 'Schedule runs of a task: a cadence in UTC, parameter overrides, secret parameters, a webhook',
    inputSchema: { collection: collection(), task: task(), name: routineName(), cadence: cadence(), ...routineFields() },
    annotations: WRITE,
    call: ({ collection, task, ...body }) => ({ method: 'POST', path: `/routines/${seg(collection)}/${seg(task)}`, json: body }),
  }),
  restTool({
    name: 'update-routine',
    title: 'Update routine',
    description: "Change any of a routine's fields",
    inputSchema: { collection: collection(), task: task(), name: routineName(), cadence: cadence().optional(), ...routineFields() },
    annotations: WRITE,
    call: ({ collection, task, name, ...body }) => ({ method: 'PATCH', path: routinePath({ collection, task, name }), json: body }),
  }),
  restTool({
    name: 'delete-routine',
    title: 'Delete routine',
    description: 'Delete a routine (its schedule stops; its runs stay)',
    inputSchema: { collection: collection(), task: task(), name: routineName() },
    annotations: DESTRUCTIVE,
    call: (a) => ({ method: 'DELETE', path: routinePath(a) }),
  }),
  restTool({
    name: 'pause-routine',
    title: 'Pause routine',
    description: 'Pause a routine',
    inputSchema: { collection: collection(), task: task(), name: routineName() },
    annotations: WRITE,
    call: (a) => ({ method: 'POST', path: `${routinePath(a)}/pause` }),
  }),
  restTool({
    name: 'resume-routine',
    title: 'Resume routine',
    description: 'Resume a paused routine (the paused time is not made up)',
    inputSchema: { collection: collection(), task: task(), name: routineName() },
    annotations: WRITE,
    call: (a) => ({ method: 'POST', path: `${routinePath(a)}/resume` }),
  }),
  restTool({
    name: 'run-routine-now',
    title: 'Run routine now',
    description: 'Run a routine now; returns its workflow_id',
    inputSchema: { collection: collection(), task: task(), name: routineName() },
    annotations: WRITE,
    call: (a) => ({ method: 'POST', path: `${routinePath(a)}/run-now` }),
  }),
  restTool({
    name: 'list-routine-runs',
    title: 'List routine runs',
    description: "A routine's runs, newest first (each firing, a missed or late one said so, and its trajectory)",
    inputSchema: { collection: collection(), task: task(), name: routineName(), limit: z.number().int().min(1).max(100).optional().describe('How many') },
    annotations: READ,
    call: (a) => ({ method: 'GET', path: `${routinePath(a)}/runs`, ...(a.limit ? { query: { limit: a.limit } } : {}) }),
  }),
];
