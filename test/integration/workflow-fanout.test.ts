import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { reply, type ChatRequest } from '../helpers/scripted-model-server';
import { startWorkflowApi, type WorkflowApi } from '../helpers/workflow-engine';

const prompt = (r: ChatRequest) => String(r.messages.at(-1)?.content ?? '');
let inFlight = 0;
let maxInFlight = 0;

let api: WorkflowApi;
beforeAll(async () => {
  api = await startWorkflowApi(async (r) => {
    const p = prompt(r);
    if (p.startsWith('Summarise')) return reply(JSON.stringify({ count: (p.match(/word-/g) ?? []).length, first: 'WORD-0' }));
    inFlight++;
    maxInFlight = Math.max(maxInFlight, inFlight);
    await new Promise((resolve) => setImmediate(resolve));
    inFlight--;
    return reply(p.replace('Shout ', '').toUpperCase());
  });
});
afterAll(async () => api?.close());

describe('fan-out over 100 items', () => {
  it('text_split → list_emit_await (max_concurrency 8) → extract_from_trajectories → litellm_chat with a JSON schema', async () => {
    await api.post('/collections/', { name: 'wf' });
    const child = await api.post('/tasks/wf', {
      name: 'shout',
      workflow: { init_params: { suffix: '!' }, step_configs: { loud: { activity: 'litellm_chat', model: 'openai/m', prompt: 'Shout {{ init_params.word }}{{ init_params.suffix }}' } }, steps: ['loud'] },
    });
    expect(child.status).toBe(201);
    const words = Array.from({ length: 100 }, (_, i) => `word-${i}`).join(' ');
    const res = await api.runSync('fan100', {
      init_params: { text: words },
      step_configs: {
        split: { activity: 'text_split', text_path: 'init_params.text', separator: ' ' },
        fan: { activity: 'list_emit_await', items_path: 'split.outputs.chunks', child_workflow_name: 'wf/shout', item_param_name: 'word', max_concurrency: 8, additional_params: { suffix: '', level_path: 'split.outputs.count' } },
        collect: { activity: 'extract_from_trajectories', trajectory_ids_path: 'fan.outputs.trajectory_ids', extract_paths: ['loud.outputs.text'] },
        summary: {
          activity: 'litellm_chat',
          model: 'openai/m',
          prompt: 'Summarise {{ init_params.text }}',
          response_format: { type: 'json_schema', json_schema: { name: 'summary', schema: { type: 'object', properties: { count: { type: 'integer' }, first: { type: 'string' } }, required: ['count', 'first'] } } },
        },
      },
      steps: ['split', 'fan', 'collect', 'summary'],
    });
    expect(res.json.status, res.text).toBe('completed');
    const t = res.json.trajectory;
    expect(t.steps.fan.outputs.trajectory_ids).toHaveLength(100);
    expect(t.steps.collect.outputs.extracted_data).toEqual(Array.from({ length: 100 }, (_, i) => `WORD-${i}`));
    expect(t.steps.summary.outputs.json).toEqual({ count: 100, first: 'WORD-0' });
    expect(maxInFlight).toBeLessThanOrEqual(8);
    expect(maxInFlight).toBeGreaterThan(1);
    const first = await api.curl([`${api.base}/db/trajectory/wf/shout/${t.steps.fan.outputs.trajectory_ids[0]}`]);
    expect(first.json.init_params).toEqual({ suffix: '', word: 'word-0', level: 100 });
    expect(api.model.requests.filter((r) => r.body && prompt(r.body).startsWith('Shout')).length).toBe(100);
    expect((await api.curl([`${api.base}/db/stats/wf/shout`])).json).toMatchObject({ total: 100 });
  });

  it('cancelling a fan-out stops its children', async () => {
    const handle = api.engine.workflows.start({
      collection: 'wf',
      task: 'cancel-me',
      document: { init_params: { items: Array.from({ length: 50 }, (_, i) => i) }, step_configs: { fan: { activity: 'list_emit_await', items_path: 'init_params.items', child_workflow_name: 'wf/shout', item_param_name: 'word', max_concurrency: 2 } }, steps: ['fan'] },
    });
    await new Promise<void>((resolve) => {
      const off = api.engine.services.store.onChange(({ table }) => {
        if (table === 'trajectories' && api.engine.workflows.active().length > 2) {
          off();
          resolve();
        }
      });
    });
    expect(api.engine.workflows.cancel(handle.id)).toBe(true);
    const t = await handle.done;
    expect(t.status).toBe('cancelled');
    const children = api.engine.services.store.listTrajectories({ task: 'shout', limit: 200 }).trajectories.filter((c) => c.created_at >= t.created_at);
    expect(children.length).toBeLessThan(50);
    expect(children.every((c) => c.status === 'completed' || c.status === 'cancelled')).toBe(true);
  });
});
