import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { reply, type ChatRequest } from '../helpers/scripted-model-server';
import { startWorkflowApi, type Json, type WorkflowApi } from '../helpers/workflow-engine';

/** The held step's request has reached the model; answering it is up to the test. */
let reached: () => void;
const heldReached = new Promise<void>((resolve) => (reached = resolve));
let release: () => void;
const released = new Promise<void>((resolve) => (release = resolve));

async function script(request: ChatRequest) {
  if (String(request.messages.at(-1)?.content ?? '') === 'hold') {
    reached();
    await released;
  }
  return reply('answered');
}

let api: WorkflowApi;
beforeAll(async () => {
  api = await startWorkflowApi(script);
});
afterAll(async () => {
  release();
  await api?.close();
});

describe('POST /trajectory/{c}/{t}/statuses', () => {
  it('a running workflow set to cancelled is stopped, not just relabelled (it would finish and overwrite the status)', async () => {
    expect((await api.post('/collections/', { name: 'wf' })).status).toBe(201);
    const workflow = { step_configs: { s: { activity: 'litellm_chat', model: 'openai/m', prompt: 'hold' }, after: { activity: 'text_echo', text: 'ran after' } }, steps: ['s', 'after'] };
    expect((await api.post('/tasks/wf', { name: 'held', workflow })).status).toBe(201);
    const started = await api.curl(['-X', 'POST', '-F', 'init_params={}', `${api.base}/run/wf/held`]);
    const id = started.json.workflow_id as string;
    await heldReached;

    const set = await api.post('/trajectory/wf/held/statuses', { [id]: 'cancelled' });
    expect(set.json).toEqual({ updated: [id], missing: [] });
    // The step ends once the run is stopped; without the stop it ends only when the model answers.
    release();
    const ended = async () => {
      const logs = (await api.curl([`${api.base}/workflows-logs/${id}`])).json.logs as Json[];
      return logs.find((e) => e.payload.step === 's' && ['cancelled', 'completed'].includes(e.payload.status))?.payload.status ?? null;
    };
    await expect.poll(ended, { timeout: 60_000 }).not.toBeNull();
    expect(await ended()).toBe('cancelled');
    const trajectory = (await api.curl([`${api.base}/db/trajectory/wf/held/${id}`])).json;
    expect(trajectory.status).toBe('cancelled');
    expect(trajectory.steps.after?.outputs?.text).toBeUndefined();
  });
});
