/**
 * MCP clients for tests, from the official SDK: `jetty mcp` over stdio (the built CLI as a
 * child process) and `/mcp` on a `jetty serve` over Streamable HTTP; the public catalog as
 * the reference kit lists it (shared/docs/mcp.md §3); and one pass over every public tool.
 */
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { expect } from 'vitest';
import { CLI, REPO } from './cli';

const R = { readOnlyHint: true, idempotentHint: true };
const W = { readOnlyHint: false, destructiveHint: false };
const D = { readOnlyHint: false, destructiveHint: true };

/** Jetty's public MCP tools this Jetty serves (all but the trial tools), with their annotations, then the local ones. */
export const EXPECTED_TOOLS: Record<string, typeof R | typeof W | typeof D> = {
  'list-collections': R,
  'get-collection': R,
  'list-tasks': R,
  'get-task': R,
  'create-task': W,
  'update-task': W,
  'run-workflow': W,
  'run-workflow-sync': W,
  'list-trajectories': R,
  'get-trajectory': R,
  'get-stats': R,
  'add-label': W,
  'list-step-templates': R,
  'get-step-template': R,
  'check-secrets': R,
  'set-environment-vars': W,
  'list-routines': R,
  'get-routine': R,
  'create-routine': W,
  'update-routine': W,
  'delete-routine': D,
  'pause-routine': W,
  'resume-routine': W,
  'run-routine-now': W,
  'list-routine-runs': R,
  'lint-runbook': R,
  'run-runbook': W,
  'get-run-events': R,
};

/** The inputs each public tool takes, as the public catalog names them (required ones without `?`). */
export const EXPECTED_INPUTS: Record<string, string[]> = {
  'list-collections': [],
  'get-collection': ['collection'],
  'list-tasks': ['collection'],
  'get-task': ['collection', 'task'],
  'create-task': ['collection', 'name', 'description?', 'workflow'],
  'update-task': ['collection', 'task', 'workflow?', 'description?'],
  'run-workflow': ['collection', 'task', 'init_params?'],
  'run-workflow-sync': ['collection', 'task', 'init_params?'],
  'list-trajectories': ['collection', 'task', 'limit?', 'page?'],
  'get-trajectory': ['collection', 'task', 'trajectory_id'],
  'get-stats': ['collection', 'task'],
  'add-label': ['collection', 'task', 'trajectory_id', 'key', 'value', 'author'],
  'list-step-templates': [],
  'get-step-template': ['name'],
  'check-secrets': ['collection', 'required_keys'],
  'set-environment-vars': ['collection', 'variables'],
  'list-routines': ['collection', 'task?'],
  'get-routine': ['collection', 'task', 'name'],
  'create-routine': ['collection', 'task', 'name', 'cadence', 'init_params_overrides?', 'secret_params?', 'paused?', 'webhook_url?', 'webhook_secret?'],
  'update-routine': ['collection', 'task', 'name', 'cadence?', 'init_params_overrides?', 'secret_params?', 'paused?', 'webhook_url?', 'webhook_secret?'],
  'delete-routine': ['collection', 'task', 'name'],
  'pause-routine': ['collection', 'task', 'name'],
  'resume-routine': ['collection', 'task', 'name'],
  'run-routine-now': ['collection', 'task', 'name'],
  'list-routine-runs': ['collection', 'task', 'name', 'limit?'],
};

export const ECHO_WORKFLOW = {
  init_params: { text: 'hi' },
  step_configs: { echo: { activity: 'text_echo', text_path: 'init_params.text' } },
  steps: ['echo'],
};

export interface StdioMcp {
  client: Client;
  transport: StdioClientTransport;
  stderr(): string;
  close(): Promise<void>;
}

/** `node bin/jetty.mjs mcp <folder> --data-dir <dataDir>` through the SDK's stdio client, connected (initialized). */
export async function connectStdio(folder: string, dataDir: string, env: Record<string, string> = {}): Promise<StdioMcp> {
  const transport = new StdioClientTransport({
    command: process.execPath,
    args: [CLI, 'mcp', folder, '--data-dir', dataDir],
    cwd: REPO,
    env: { ...(process.env as Record<string, string>), ...env },
    stderr: 'pipe',
  });
  let stderr = '';
  transport.stderr?.on('data', (d: Buffer) => (stderr += d.toString()));
  const client = new Client({ name: 'jetty-test', version: '1.0.0' });
  await client.connect(transport);
  return { client, transport, stderr: () => stderr, close: () => client.close() };
}

/** `/mcp` on a running `jetty serve`, with its token, through the SDK's Streamable HTTP client, connected. */
export async function connectHttp(origin: string, token: string): Promise<Client> {
  const client = new Client({ name: 'jetty-test', version: '1.0.0' });
  await client.connect(new StreamableHTTPClientTransport(new URL('/mcp', origin), { requestInit: { headers: { Authorization: `Bearer ${token}` } } }));
  return client;
}

/** Asks again (every 100 ms, at most `ms`) until the answer is `done`. */
export async function pollUntil<T>(ask: () => Promise<T>, done: (value: T) => boolean, what: string, ms = 30_000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const value = await ask();
    if (done(value)) return value;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}; last: ${JSON.stringify(value).slice(0, 500)}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

export const textOf = (result: CallToolResult): string => {
  expect(result.content).toHaveLength(1);
  const [item] = result.content;
  if (item.type !== 'text') throw new Error(`expected one text item, got ${item.type}`);
  return item.text;
};

/** A tool's answer, checked field by field by the tests. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- the one loose type of these tests
export type Answer = any;

/** A successful call's JSON (its text item parsed; structuredContent, when there, the same value). */
export async function call(client: Client, name: string, args: Record<string, unknown> = {}): Promise<Answer> {
  const result = (await client.callTool({ name, arguments: args })) as CallToolResult;
  expect(result.isError, `${name}: ${JSON.stringify(result.content)}`).toBeFalsy();
  const value = JSON.parse(textOf(result));
  if (result.structuredContent !== undefined) expect(result.structuredContent).toEqual(value);
  return value;
}

/** A failed call: an `isError` result; its message. */
export async function callFails(client: Client, name: string, args: Record<string, unknown>): Promise<string> {
  const result = (await client.callTool({ name, arguments: args })) as CallToolResult;
  expect(result.isError, `${name} should fail: ${JSON.stringify(result.content)}`).toBe(true);
  return textOf(result);
}

/** tools/list answers exactly the expected names, annotations and public inputs. */
export async function expectCatalog(client: Client): Promise<void> {
  const { tools } = await client.listTools();
  expect(tools.map((t) => t.name)).toEqual(Object.keys(EXPECTED_TOOLS));
  for (const tool of tools) {
    expect(tool.annotations, tool.name).toEqual(EXPECTED_TOOLS[tool.name]);
    expect(tool.description, tool.name).toBeTruthy();
    const inputs = EXPECTED_INPUTS[tool.name];
    if (!inputs) continue;
    const required = new Set(tool.inputSchema.required ?? []);
    expect(Object.keys(tool.inputSchema.properties ?? {}).map((k) => (required.has(k) ? k : `${k}?`)), tool.name).toEqual(inputs);
  }
}

/**
 * Every public tool once against `collection` (which must exist), checking each answer: a
 * task of the echo workflow is created, updated, run (waiting and not), its runs listed,
 * read, counted and labelled; step templates; the collection environment set and checked;
 * a routine of that task created, changed, paused, resumed, run now (its run listed, tagged
 * with the routine) and deleted.
 */
export async function exercisePublicTools(client: Client, collection: string): Promise<{ trajectoryId: string }> {
  const task = 'mcp-echo';
  expect((await call(client, 'list-collections')).map((c: { name: string }) => c.name)).toContain(collection);
  expect(await call(client, 'get-collection', { collection })).toMatchObject({ name: collection });

  const created = await call(client, 'create-task', { collection, name: task, description: 'echo over MCP', workflow: ECHO_WORKFLOW });
  expect(created).toMatchObject({ name: task, description: 'echo over MCP', workflow: ECHO_WORKFLOW, source: 'local' });
  expect((await call(client, 'list-tasks', { collection })).map((t: { name: string }) => t.name)).toContain(task);
  expect(await call(client, 'update-task', { collection, task, description: 'updated over MCP' })).toMatchObject({ name: task, description: 'updated over MCP' });
  expect(await call(client, 'get-task', { collection, task })).toMatchObject({ name: task, description: 'updated over MCP', workflow: ECHO_WORKFLOW });

  const synced = await call(client, 'run-workflow-sync', { collection, task, init_params: { text: 'hello over MCP' } });
  expect(synced).toMatchObject({ status: 'completed', collection, task, trajectory: { steps: { echo: { status: 'completed', outputs: { text: 'hello over MCP' } } } } });
  const started = await call(client, 'run-workflow', { collection, task });
  expect(started).toMatchObject({ status: 'running', workflow_id: expect.stringMatching(/^[0-9a-f]{8}$/) });
  // The asynchronous run ends on its own; its trajectory says so (with the task's own init_params).
  const trajectory = await pollUntil(
    () => call(client, 'get-trajectory', { collection, task, trajectory_id: started.workflow_id }),
    (t) => t.status === 'completed',
    'the run-workflow run to complete',
  );
  expect(trajectory).toMatchObject({ trajectory_id: started.workflow_id, init_params: { text: 'hi' }, steps: { echo: { outputs: { text: 'hi' } } } });
  expect(trajectory.events.length).toBeGreaterThan(0);

  const page = await call(client, 'list-trajectories', { collection, task, limit: 1 });
  expect(page).toMatchObject({ total: 2, limit: 1, page: 1, has_more: true });
  expect(page.trajectories).toHaveLength(1);
  expect(await call(client, 'get-stats', { collection, task })).toMatchObject({ collection, task, total: 2 });
  const labelled = await call(client, 'add-label', { collection, task, trajectory_id: synced.workflow_id, key: 'quality', value: 'high', author: 'mcp@test' });
  expect(labelled).toMatchObject({ key: 'quality', value: 'high', author: 'mcp@test' });

  const templates = await call(client, 'list-step-templates');
  expect(templates.templates.map((t: { activity_name: string }) => t.activity_name)).toContain('text_echo');
  expect(await call(client, 'get-step-template', { name: 'text_echo' })).toMatchObject({ activity_name: 'text_echo' });

  const value = 'mcp-secret-value-9f8e7d';
  const set = await client.callTool({ name: 'set-environment-vars', arguments: { collection, variables: { MCP_KEY: value, NOT_THERE: null } } });
  expect(JSON.stringify(set)).not.toContain(value);
  expect(await call(client, 'check-secrets', { collection, required_keys: ['MCP_KEY', 'MISSING_KEY'] })).toEqual({ configured: ['MCP_KEY'], missing: ['MISSING_KEY'], ready: false });
  expect(await call(client, 'check-secrets', { collection, required_keys: ['MCP_KEY'] })).toEqual({ configured: ['MCP_KEY'], missing: [], ready: true });

  const routine = { collection, task, name: 'nightly' };
  const made = await call(client, 'create-routine', { ...routine, cadence: { type: 'daily', hour_utc: 3 }, init_params_overrides: { text: 'from the routine' } });
  expect(made).toMatchObject({ name: 'nightly', cadence: { type: 'daily', hour_utc: 3, minute_utc: 0 }, paused: false, next_run_at: expect.stringMatching(/T03:00:00/) });
  expect((await call(client, 'list-routines', { collection })).map((r: { name: string }) => r.name)).toContain('nightly');
  expect(await call(client, 'update-routine', { ...routine, cadence: { type: 'manual' } })).toMatchObject({ cadence: { type: 'manual' }, next_run_at: null });
  expect(await call(client, 'pause-routine', routine)).toMatchObject({ paused: true });
  expect(await call(client, 'resume-routine', routine)).toMatchObject({ paused: false });
  expect(await call(client, 'get-routine', routine)).toMatchObject({ name: 'nightly', init_params_overrides: { text: 'from the routine' } });
  const fired = await call(client, 'run-routine-now', routine);
  expect(fired).toMatchObject({ workflow_id: expect.stringMatching(/^[0-9a-f]{8}$/) });
  const routineRun = await pollUntil(
    () => call(client, 'get-trajectory', { collection, task, trajectory_id: fired.workflow_id }),
    (t) => t.status === 'completed',
    'the routine run to complete',
  );
  expect(routineRun).toMatchObject({ triggered_by_routine_id: made.id, steps: { echo: { outputs: { text: 'from the routine' } } } });
  const { runs } = await call(client, 'list-routine-runs', { ...routine, limit: 5 });
  expect(runs).toMatchObject([{ trajectory_id: fired.workflow_id, trigger: 'manual' }]);
  expect(await call(client, 'delete-routine', routine)).toMatchObject({ deleted: true });
  expect(await callFails(client, 'get-routine', routine)).toMatch(/404/);

  // A trajectory that does not exist is a tool error naming it, not a protocol fault.
  expect(await callFails(client, 'get-trajectory', { collection, task, trajectory_id: 'deadbeef' })).toMatch(/404.*no trajectory 'deadbeef'/);
  return { trajectoryId: synced.workflow_id };
}
