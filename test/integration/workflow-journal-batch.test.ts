// Pure steps are journaled together, but never after a step with side effects has started:
// when the model call of the step after them reaches the provider, every pure step before it
// is committed (read from the SQLite file by another connection at that moment).
import Database from 'better-sqlite3';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { reply, type ChatRequest } from '../helpers/scripted-model-server';
import { startWorkflowApi, type WorkflowApi } from '../helpers/workflow-engine';

let api: WorkflowApi;
/** The steps table as another connection saw it when the model call arrived. */
let seenAtCall: { name: string; status: string }[] = [];

beforeAll(async () => {
  api = await startWorkflowApi((request: ChatRequest) => {
    const db = new Database(path.join(api.dataDir, 'jetty.db'), { readonly: true });
    seenAtCall = db.prepare('SELECT name, status FROM steps ORDER BY position').all() as typeof seenAtCall;
    db.close();
    return reply(`answer to ${String(request.messages.at(-1)?.content)}`);
  });
});
afterAll(async () => api?.close());

describe('the journal batches pure steps, never past a side effect', () => {
  it('every pure step before a model step is committed when its call reaches the provider', async () => {
    const pure = Array.from({ length: 40 }, (_, i) => `p${i}`);
    const workflow = {
      init_params: { text: 'hi' },
      step_configs: {
        ...Object.fromEntries(pure.map((n, i) => [n, { activity: 'text_echo', text_path: i === 0 ? 'init_params.text' : `${pure[i - 1]}.outputs.text` }])),
        ask: { activity: 'litellm_chat', model: 'openai/m', prompt: 'say {{ p39.outputs.text }}' },
        after: { activity: 'text_echo', text_path: 'ask.outputs.text' },
      },
      steps: [...pure, 'ask', 'after'],
    };
    const res = await api.runSync('batched', workflow);
    expect(res.json.trajectory.status).toBe('completed');
    expect(res.json.trajectory.steps.after.outputs.text).toBe('answer to say hi');
    const id = res.json.trajectory.id as string;
    const rows = seenAtCall;
    expect(rows.filter((r) => pure.includes(r.name)).map((r) => r.status)).toEqual(pure.map(() => 'completed'));
    expect(rows.find((r) => r.name === 'ask')?.status).toBe('running');
    expect(rows.some((r) => r.name === 'after')).toBe(false);
    expect(api.engine.services.store.getTrajectory(id)!.steps.after.status).toBe('completed');
  });
});
