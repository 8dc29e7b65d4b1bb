import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fail, reply, type ChatRequest } from '../helpers/scripted-model-server';
import { startWorkflowApi, type WorkflowApi } from '../helpers/workflow-engine';
import { STEP_TEMPLATES } from '../../electron/engine/workflows';

const sh = promisify(execFile);
const userText = (r: ChatRequest) => String(r.messages.at(-1)?.content ?? '');

/** Answers by the prompt: each test names what it expects in its prompts. */
function script(request: ChatRequest) {
  const prompt = userText(request);
  if (prompt.startsWith('flaky')) return flaky.shift() ?? reply('recovered');
  if (prompt.startsWith('refused')) return fail(400, { message: "Invalid value for 'temperature': must be ≤ 2", errorType: 'invalid_request_error' });
  if (prompt.includes('Answer with one category')) return reply(JSON.stringify({ category: 'B', explanation: 'B is more concise' }), { usage: { prompt_tokens: 40, completion_tokens: 9, total_tokens: 49 } });
  if (prompt.startsWith('Model A')) return reply('Answer from A, long and winding', { usage: { prompt_tokens: 10, completion_tokens: 7, total_tokens: 17 } });
  if (prompt.startsWith('Model B')) return reply('Answer from B', { usage: { prompt_tokens: 10, completion_tokens: 3, total_tokens: 13 } });
  return reply(`echo: ${prompt}`);
}
let flaky: ReturnType<typeof fail>[] = [];

let api: WorkflowApi;
beforeAll(async () => {
  api = await startWorkflowApi(script);
});
afterAll(async () => api?.close());

describe('workflows over the local Jetty API (real HTTP, real SQLite)', () => {
  it("runs the seed's 'Create and Test a Task' curl sequence verbatim", async () => {
    expect((await api.post('/collections/', { name: 'seed' })).status).toBe(201);
    const env = { ...process.env, TOKEN: api.token, BASE: api.base };
    // 1. Create
    const created = await sh('bash', ['-c', `curl -s -X POST -H "Authorization: Bearer $TOKEN" \\
-H "Content-Type: application/json" \\
"$BASE/tasks/seed" \\
-d '{
"name": "test-echo",
"description": "Simple echo test",
"workflow": {
"init_params": {"text": "Hello!"},
"step_configs": {"echo": {"activity": "text_echo", "text_path": "init_params.text"}},
"steps": ["echo"]
}
}' | jq`], { env });
    expect(JSON.parse(created.stdout)).toMatchObject({ name: 'test-echo', workflow: { steps: ['echo'] } });
    // 2. Run sync
    const ran = await sh('bash', ['-c', `curl -s -X POST -H "Authorization: Bearer $TOKEN" \\
-F 'init_params={"text": "Test message"}' \\
"$BASE/run-sync/seed/test-echo" | jq`], { env });
    const result = JSON.parse(ran.stdout);
    expect(result).toMatchObject({ status: 'completed', workflow_id: expect.stringMatching(/^[0-9a-f]{8}$/) });
    // 3. Check result
    const checked = await sh('bash', ['-c', `curl -s -H "Authorization: Bearer $TOKEN" \\
"$BASE/db/trajectories/seed/test-echo?limit=1" | jq '.trajectories[0]'`], { env });
    const trajectory = JSON.parse(checked.stdout);
    expect(trajectory).toMatchObject({ kind: 'workflow', status: 'completed', init_params: { text: 'Test message' } });
    expect(trajectory.steps.echo).toMatchObject({ status: 'completed', inputs: { text: 'Test message' }, outputs: { text: 'Test message' } });

    const one = await api.curl([`${api.base}/db/trajectory/seed/test-echo/${result.workflow_id}`]);
    expect(one.json.steps.echo.outputs.text).toBe('Test message');
    const logs = await api.curl([`${api.base}/workflows-logs/${result.workflow_id}`]);
    expect(logs.json.logs.map((e: { payload: { status?: string } }) => e.payload.status)).toEqual(['running', 'completed']);
    expect((await api.curl([`${api.base}/db/stats/seed/test-echo`])).json).toMatchObject({ total: 1 });
  });

  it('compares two models with a categorical simple_judge; usage is recorded on the run', async () => {
    const workflow = {
      init_params: { question: 'What is a DAG?' },
      step_configs: {
        a: { activity: 'litellm_chat', model: 'openai/model-a', prompt: 'Model A: {{ init_params.question }}' },
        b: { activity: 'litellm_chat', model: 'openai/model-b', prompt_path: 'init_params.question', system_prompt: 'be brief' },
        judge: {
          activity: 'simple_judge',
          model: 'openai/judge',
          judge_type: 'categorical',
          categories: ['A', 'B'],
          instruction: 'Which answer is better?',
          items_path: ['a.outputs.text', 'b.outputs.text'],
        },
      },
      steps: ['a', 'b', 'judge'],
    };
    workflow.step_configs.b.prompt_path = 'init_params.question';
    // b's prompt comes from the path: make it start with "Model B" through the run's parameters.
    const res = await api.runSync('compare', workflow, { question: 'Model B: What is a DAG?' });
    expect(res.json.status, res.text).toBe('completed');
    const t = res.json.trajectory;
    expect(t.steps.a.inputs.prompt).toBe('Model A: Model B: What is a DAG?');
    expect(t.steps.judge.inputs.items).toEqual(['Answer from A, long and winding', 'Answer from B']);
    expect(t.steps.judge.outputs).toMatchObject({ category: 'B', explanation: 'B is more concise' });
    expect(t.usage).toMatchObject({ prompt_tokens: 60, completion_tokens: 19, total_tokens: 79 });
    const judgeRequest = api.model.requests.map((r) => r.body).find((b) => userText(b!).includes('Answer with one category'))!;
    expect(judgeRequest.response_format).toMatchObject({ type: 'json_schema', json_schema: { schema: { properties: { category: { enum: ['A', 'B'] } } } } });
    expect(api.model.requests.filter((r) => r.body && userText(r.body).includes('Answer from A')).length).toBe(1);
    // Each model call went through the passthrough, which recorded it as a trajectory of its own.
    expect(typeof t.steps.a.outputs.call_id).toBe('string');
  });

  it('conditional_branch goes both ways and skips the other branch', async () => {
    const workflow = {
      init_params: { go: true },
      step_configs: {
        check: { activity: 'conditional_branch', condition_path: 'init_params.go', true_step: 'yes', false_step: 'no' },
        yes: { activity: 'text_echo', text: 'took yes' },
        no: { activity: 'text_echo', text: 'took no' },
        after: { activity: 'text_template', template: 'after {{ which }}', variables: { which: 'both' } },
      },
      steps: ['check', 'yes', 'no', 'after'],
    };
    const yes = (await api.runSync('branch', workflow, { go: true })).json.trajectory;
    expect(yes.status).toBe('completed');
    expect(yes.steps.check.outputs).toMatchObject({ branch: 'true', next_step: 'yes' });
    expect(yes.steps.yes).toMatchObject({ status: 'completed', outputs: { text: 'took yes' } });
    expect(yes.steps.no).toMatchObject({ status: 'cancelled', outputs: { skipped: true } });
    expect(yes.steps.after.outputs.text).toBe('after both');
    const no = await api.curl(['-X', 'POST', '-F', 'init_params={"go": "no"}', `${api.base}/run-sync/wf/branch`]);
    const t = no.json.trajectory;
    expect(t.steps.check.outputs.branch).toBe('false');
    expect(t.steps.yes).toMatchObject({ status: 'cancelled', outputs: { skipped: true } });
    expect(t.steps.no.outputs.text).toBe('took no');
    expect(t.steps.after.status).toBe('completed');
  });

  it('retries 500s and a 429 with retry-after; every attempt is in the trajectory; a 400 fails at once with the message', async () => {
    flaky = [fail(500), fail(429, { retryAfterSeconds: 0 }), fail(503)];
    const started = Date.now();
    const res = await api.runSync('flaky', { step_configs: { s: { activity: 'litellm_chat', model: 'openai/m', prompt: 'flaky please', retries: 4 } }, steps: ['s'] });
    expect(res.json.status, res.text).toBe('completed');
    expect(res.json.trajectory.steps.s.outputs.text).toBe('recovered');
    const logs = (await api.curl([`${api.base}/workflows-logs/${res.json.workflow_id}`])).json.logs as { type: string; step: string | null; payload: Record<string, unknown> }[];
    const attempts = logs.filter((e) => e.step === 's' && (e.type === 'retry' || (e.type === 'progress' && e.payload.status !== 'running'))).map((e) => [e.type, e.payload.attempt]);
    expect(attempts).toEqual([['retry', 1], ['retry', 2], ['retry', 3], ['progress', 4]]);
    expect(logs.filter((e) => e.type === 'progress' && e.payload.status === 'retrying')).toEqual([]);
    // (The passthrough answers a provider's 429 without its retry-after header, so the engine backs off by its own schedule.)
    const retries = logs.filter((e) => e.type === 'retry').map((e) => e.payload);
    expect(retries.map((p) => [p.what, p.max_attempts, typeof p.delay_ms])).toEqual(Array(3).fill(['step s', 5, 'number']));
    expect(retries.map((p) => p.error)).toEqual([expect.stringContaining('500'), expect.stringContaining('429'), expect.stringContaining('503')]);
    expect(Date.now() - started).toBeLessThan(30_000);
    const keys = api.model.requests.filter((r) => r.body && userText(r.body).startsWith('flaky')).map((r) => r.headers['idempotency-key']);
    expect(keys.length).toBe(4);

    const before = api.model.requests.length;
    const refused = await api.runSync('refused', { step_configs: { s: { activity: 'litellm_chat', model: 'openai/m', prompt: 'refused', retries: 4 } }, steps: ['s'] });
    expect(refused.json.status).toBe('failed');
    expect(refused.json.error).toContain("step 's' failed: model call failed with 400: Invalid value for 'temperature'");
    expect(api.model.requests.length - before).toBe(1);
  });

  it('refuses invalid workflows with 422 naming each problem and where it is', async () => {
    const cases: [unknown, string][] = [
      [{ step_configs: { a: { activity: 'text_ecko', text: 'x' } }, steps: ['a'] }, "workflow.step_configs.a.activity: unknown activity 'text_ecko' (did you mean 'text_echo'?)"],
      [{ step_configs: { a: { activity: 'text_echo' } }, steps: ['a'] }, "workflow.step_configs.a: step 'a' (text_echo) is missing required parameter 'text'"],
      [{ step_configs: { a: { activity: 'text_echo', text_path: 'b.outputs.text' }, b: { activity: 'text_echo', text: 'x' } }, steps: ['a', 'b'] }, "workflow.step_configs.a.text_path: path 'b.outputs.text' names step 'b', which runs after 'a'"],
      [{ step_configs: { c: { activity: 'conditional_branch', condition: true, true_step: 'x', false_step: 'd' }, d: { activity: 'text_echo', text: '' } }, steps: ['c', 'd'] }, "workflow.step_configs.c.true_step: conditional_branch 'c': true_step 'x' is not a step of this workflow"],
      [{ step_configs: { d: { activity: 'text_echo', text: '' }, c: { activity: 'conditional_branch', condition: true, true_step: 'd', false_step: 'd' } }, steps: ['d', 'c'] }, "workflow.step_configs.c.true_step: cycle: true_step of 'c' goes back to 'd' (d → c → d)"],
    ];
    for (const [workflow, message] of cases) {
      const res = await api.post('/tasks/wf', { name: 'bad', workflow });
      expect(res.status).toBe(422);
      expect(res.json.error.message).toContain(message);
    }
  });

  it('a path that resolves to nothing at run time fails the step with the expression and what was there', async () => {
    const res = await api.runSync('missing', { step_configs: { a: { activity: 'text_echo', text: 'x' }, b: { activity: 'text_echo', text_path: 'a.outputs.nope' } }, steps: ['a', 'b'] });
    expect(res.json.status).toBe('failed');
    expect(res.json.error).toBe(`step 'b' failed: path 'a.outputs.nope' resolves to nothing: a.outputs.nope is missing (there: {"text":"x"})`);
    expect(res.json.trajectory.steps.b.status).toBe('failed');
  });

  it('lists exactly the templates that execute, each with parameters and outputs', async () => {
    const res = await api.curl([`${api.base}/step-templates`]);
    const names = res.json.templates.map((t: { activity_name: string }) => t.activity_name);
    expect(names).toContain('run_runbook');
    expect(names).toEqual(STEP_TEMPLATES.map((t) => t.activity_name));
    expect(res.json.templates.find((t: { activity_name: string }) => t.activity_name === 'text_echo')).toMatchObject({ parameters: [{ name: 'text', required: true }], outputs: ['text'] });
    expect((await api.curl([`${api.base}/step-templates/litellm_chat`])).json.outputs).toContain('text');
  });

  it('the SQLite file passes integrity_check', () => {
    const db = new Database(api.engine.services.store.file, { readonly: true });
    expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
    db.close();
  });
});
