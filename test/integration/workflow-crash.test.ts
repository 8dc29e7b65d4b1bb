import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { waitFor } from '../helpers/cli';
import { scriptedOrigin, scriptedProviderEnv, type Json } from '../helpers/workflow-engine';
import { finished, integrity, killServingProcesses, runAsync, serve } from '../helpers/workflow-serve';
import { reply, startScriptedModelServer, type ChatRequest, type ScriptedModelServer } from '../helpers/scripted-model-server';
/** The last message of a chat request (a Replicate request has none). */
const prompt = (r: ChatRequest | undefined) => String(r?.messages?.at(-1)?.content ?? '');

let model: ScriptedModelServer;
/** Replicate predictions stay `processing` until this is called. */
let releasePredictions: () => void;
const dirs: string[] = [];
beforeAll(async () => {
  const held = new Promise<void>((resolve) => (releasePredictions = resolve));
  model = await startScriptedModelServer((r) => reply(`done(${prompt(r).split(':')[0]})`, { usage: { prompt_tokens: 5, completion_tokens: 2, total_tokens: 7 } }), { replicate: { holdUntil: held } });
});
afterAll(async () => {
  killServingProcesses();
  await model?.close();
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

const serving = () => ({ ...scriptedProviderEnv(model), TRUSTED_DOWNLOAD_ORIGINS: scriptedOrigin(model) });

const requestsFor = (label: string) => model.requests.filter((r) => prompt(r.body).startsWith(`${label}:`)).length;
/** Answers the scripted model made for a label: a request replayed under its Idempotency-Key makes none. */
const generationsFor = (label: string) => model.generations.filter((r) => prompt(r).startsWith(`${label}:`)).length;

describe('durable workflows survive kill -9 of the serving process', () => {
  it('a 6-step model workflow killed after step 3 was journaled resumes with exactly one request per step', async () => {
    const dataDir = mkdtempSync(path.join(os.tmpdir(), 'jetty-wf-crash-'));
    dirs.push(dataDir);
    const names = ['s1', 's2', 's3', 's4', 's5', 's6'];
    const step_configs = Object.fromEntries(
      names.map((n, i) => [n, { activity: 'litellm_chat', model: 'openai/scripted', prompt: i === 0 ? `${n}: start` : `${n}: after {{ ${names[i - 1]}.outputs.text }}` }]),
    );
    const first = await serve(dataDir, serving(), { step: 's3' });
    const id = await runAsync(first, 'six', { step_configs, steps: names });
    await waitFor(() => first.lines.includes('frozen'), 'step 3 to be journaled');
    first.child.kill('SIGKILL');
    expect(await first.exited).toBe('SIGKILL');
    expect(integrity(path.join(dataDir, 'jetty.db'))).toBe('ok');
    expect(names.map(requestsFor)).toEqual([1, 1, 1, 0, 0, 0]);

    const second = await serve(dataDir, serving());
    const t = await finished(second, `/db/trajectory/wf/six/${id}`);
    expect(t.status).toBe('completed');
    expect(names.map(requestsFor)).toEqual([1, 1, 1, 1, 1, 1]);
    expect(names.map(generationsFor)).toEqual([1, 1, 1, 1, 1, 1]);
    expect(t.steps.s4.inputs.prompt).toBe('s4: after done(s3)');
    expect(t.usage.total_tokens).toBe(42);
    const logs = (await second.call('GET', `/workflows-logs/${id}`)).logs as { type: string; payload: Record<string, unknown> }[];
    expect(logs.find((e) => e.type === 'resume')!.payload).toEqual({ completed_steps: ['s1', 's2', 's3'], resumed_at: 's4' });
    second.child.kill('SIGTERM');
    await second.exited;
    expect(integrity(path.join(dataDir, 'jetty.db'))).toBe('ok');
  });

  it('a Replicate step killed while its prediction runs polls that same prediction on resume: no second prediction', async () => {
    const dataDir = mkdtempSync(path.join(os.tmpdir(), 'jetty-wf-crash-replicate-'));
    dirs.push(dataDir);
    const first = await serve(dataDir, serving());
    const id = await runAsync(first, 'flux', { step_configs: { draw: { activity: 'replicate_text2image', model: 'black-forest-labs/flux-schnell', prompt: 'crash: a sunset' } }, steps: ['draw'] });
    const polled = () => model.predictions.length === 1 && model.requests.some((r) => r.method === 'GET' && r.path === `/v1/predictions/${model.predictions[0].id}`);
    // The attempt polls only after it has journaled the prediction's id.
    await waitFor(polled, 'the prediction to be created and polled');
    first.child.kill('SIGKILL');
    await first.exited;
    expect(integrity(path.join(dataDir, 'jetty.db'))).toBe('ok');
    releasePredictions();

    const second = await serve(dataDir, serving());
    const t = await finished(second, `/db/trajectory/wf/flux/${id}`);
    expect(t.status, JSON.stringify(t)).toBe('completed');
    expect(model.predictions).toHaveLength(1);
    expect(model.requests.filter((r) => r.method === 'POST' && r.path.endsWith('/predictions'))).toHaveLength(1);
    expect(t.steps.draw.outputs.prediction_id).toBe(model.predictions[0].id);
    expect(t.steps.draw.outputs.images).toHaveLength(1);
    const logs = (await second.call('GET', `/workflows-logs/${id}`)).logs as { payload: Record<string, unknown> }[];
    expect(logs.some((e) => e.payload.resumed_at === 'draw'), JSON.stringify(logs)).toBe(true);
    second.child.kill('SIGTERM');
    await second.exited;
  });

  it('a fan-out killed mid-way adopts the children it started: no child generates twice', async () => {
    const dataDir = mkdtempSync(path.join(os.tmpdir(), 'jetty-wf-crash-fan-'));
    dirs.push(dataDir);
    const first = await serve(dataDir, serving(), { completedChildren: 10, task: 'child' });
    await first.call('POST', '/collections/', { name: 'wf' });
    await first.call('POST', '/tasks/wf', {
      name: 'child',
      workflow: { step_configs: { one: { activity: 'litellm_chat', model: 'openai/scripted', prompt: 'item-{{ init_params.item }}: go' } }, steps: ['one'] },
    });
    const items = Array.from({ length: 30 }, (_, i) => i).join('\n');
    const id = await runAsync(first, 'fan', {
      init_params: { items },
      step_configs: {
        split: { activity: 'text_split', text_path: 'init_params.items', separator: '\n' },
        fan: { activity: 'list_emit_await', items_path: 'split.outputs.chunks', child_workflow_name: 'wf/child', max_concurrency: 4 },
      },
      steps: ['split', 'fan'],
    });
    await waitFor(() => first.lines.includes('frozen'), '10 children to complete');
    first.child.kill('SIGKILL');
    const killedAt = Date.now();
    await first.exited;
    expect(integrity(path.join(dataDir, 'jetty.db'))).toBe('ok');
    const before = Array.from({ length: 30 }, (_, i) => requestsFor(`item-${i}`));

    const second = await serve(dataDir, serving());
    const t = await finished(second, `/db/trajectory/wf/fan/${id}`);
    expect(t.status, JSON.stringify(t)).toBe('completed');
    const ids = t.steps.fan.outputs.trajectory_ids as string[];
    expect(new Set(ids).size).toBe(30);
    const after = Array.from({ length: 30 }, (_, i) => requestsFor(`item-${i}`));
    // A child that had completed before the kill was not asked again; one whose model call was in
    // flight at the kill (at most max_concurrency) asked once more with the key of that attempt,
    // journaled before the call, so the provider answered it from the generation it had made.
    const completedBefore = (await second.call('GET', '/db/trajectories/wf/child?limit=100')).trajectories.filter((c: Json) => Date.parse(c.ended_at) < killedAt);
    expect(completedBefore.length).toBeGreaterThanOrEqual(10);
    for (const child of completedBefore) expect(after[Number(child.init_params.item)]).toBe(1);
    expect(after.reduce((a, b) => a + b, 0) - 30).toBeLessThanOrEqual(4);
    expect(Array.from({ length: 30 }, (_, i) => generationsFor(`item-${i}`))).toEqual(Array(30).fill(1));
    expect(before.reduce((a, b) => a + b, 0)).toBeLessThan(30);
    const all = (await second.call('GET', '/db/trajectories/wf/child?limit=100')).total;
    expect(all).toBe(30);
    second.child.kill('SIGTERM');
    await second.exited;
  });
});
