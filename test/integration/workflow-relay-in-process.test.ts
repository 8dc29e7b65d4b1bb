// Workflow model steps call the relay in process: no listener of their own that anything on
// the machine (or a web page posting text/plain) could use to spend the user's provider keys.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listeningSockets } from '../helpers/listening-ports';
import { reply } from '../helpers/scripted-model-server';
import { startWorkflowApi, type WorkflowApi } from '../helpers/workflow-engine';

let api: WorkflowApi;
beforeAll(async () => {
  api = await startWorkflowApi((request) => reply(`echo: ${String(request.messages.at(-1)?.content ?? '')}`, { usage: { prompt_tokens: 5, completion_tokens: 2, total_tokens: 7 } }));
});
afterAll(async () => api?.close());

describe('workflow model calls', () => {
  it('reach the provider through the relay with no new listening socket, and are recorded as before', async () => {
    const before = listeningSockets();
    const ran = await api.runSync('ask', {
      init_params: { question: 'two plus two' },
      step_configs: { ask: { activity: 'litellm_chat', model: 'openai/gpt-4o-mini', prompt_path: 'init_params.question' } },
      steps: ['ask'],
    });
    expect(ran.json).toMatchObject({ status: 'completed' });
    const steps = (await api.curl([`${api.base}/db/trajectory/wf/ask/${ran.json.workflow_id}`])).json.steps;
    expect(steps.ask.outputs.text).toBe('echo: two plus two');
    // The model server saw the call with the provider key the engine holds, and the step's idempotency key.
    const seen = api.model.requests.at(-1)!;
    expect(seen.headers.authorization).toBe('Bearer sk-test');
    expect(seen.headers['idempotency-key']).toMatch(/\S/);
    expect(listeningSockets()).toEqual(before);
  });
});
