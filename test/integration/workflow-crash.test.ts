import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createInterface } from 'node:readline';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { waitFor } from '../helpers/cli';
import { scriptedProviderEnv, type Json } from '../helpers/workflow-engine';
import { reply, startScriptedModelServer, type ChatRequest, type ScriptedModelServer } from '../helpers/scripted-model-server';

const CHILD = path.join(import.meta.dirname, 'workflow-serve-child.ts');
const TOKEN = 'crash-test-token';
const prompt = (r: ChatRequest | undefined) => String(r?.messages.at(-1)?.content ?? '');

let model: ScriptedModelServer;
/** Replicate predictions stay `processing` until this is called. */
let releasePredictions: () => void;
const dirs: string[] = [];
/** Every serving process started, so a failed assertion leaves none behind. */
const servers: ChildProcess[] = [];
beforeAll(async () => {
  const held = new Promise<void>((resolve) => (releasePredictions = resolve));
  model = await startScriptedModelServer((r) => reply(`done(${prompt(r).split(':')[0]})`, { usage: { prompt_tokens: 5, completion_tokens: 2, total_tokens: 7 } }), { replicate: { holdUntil: held } });
});
afterAll(async () => {
  for (const child of servers) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  await model?.close();
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

/** Starts the serving process over `dataDir`; resolves once it listens. `lines` collects what it prints. */
async function serve(dataDir: string, freezeWhen?: object) {
  const child: ChildProcess = spawn(process.execPath, ['--import', 'tsx', CHILD, dataDir, TOKEN], {
    cwd: path.resolve(import.meta.dirname, '../..'),
    env: { ...process.env, ...scriptedProviderEnv(model), FREEZE_WHEN: freezeWhen ? JSON.stringify(freezeWhen) : '' },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  servers.push(child);
  const lines: string[] = [];
  const exited = new Promise<NodeJS.Signals | number | null>((resolve) => child.once('exit', (code, signal) => resolve(signal ?? code)));
  createInterface({ input: child.stdout! }).on('line', (line) => lines.push(line));
  await waitFor(() => lines.some((l) => l.startsWith('listening ')) || child.exitCode !== null, 'the serving process to listen');
  const origin = lines.find((l) => l.startsWith('listening '))!.slice('listening '.length);
  const call = async (method: string, pathname: string, body?: unknown) => {
    const res = await fetch(`${origin}/api/v1${pathname}`, {
      method,
      headers: { authorization: `Bearer ${TOKEN}`, ...(body && !(body instanceof FormData) ? { 'content-type': 'application/json' } : {}) },
      body: body instanceof FormData ? body : body ? JSON.stringify(body) : undefined,
    });
    return (await res.json()) as Json;
  };
  return { child, lines, exited, call };
}

/** Polls a trajectory over REST until it has ended (bounded: 60 s). */
async function finished(jetty: Awaited<ReturnType<typeof serve>>, pathname: string): Promise<Json> {
  const deadline = Date.now() + 60_000;
  for (;;) {
    const t = await jetty.call('GET', pathname);
    if (['completed', 'failed', 'cancelled'].includes(t.status)) return t;
    if (Date.now() > deadline) throw new Error(`still ${t.status} after 60 s: ${JSON.stringify(t).slice(0, 500)}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

const requestsFor = (label: string) => model.requests.filter((r) => prompt(r.body).startsWith(`${label}:`)).length;
/** Answers the scripted model made for a label: a request replayed under its Idempotency-Key makes none. */
const generationsFor = (label: string) => model.generations.filter((r) => prompt(r).startsWith(`${label}:`)).length;

function integrity(file: string): string {
  const db = new Database(file, { readonly: true });
  try {
    return db.pragma('integrity_check', { simple: true }) as string;
  } finally {
    db.close();
  }
}

async function runAsync(jetty: Awaited<ReturnType<typeof serve>>, task: string, workflow: unknown): Promise<string> {
  await jetty.call('POST', '/collections/', { name: 'wf' });
  const created = await jetty.call('POST', '/tasks/wf', { name: task, workflow });
  if (!created.name) throw new Error(JSON.stringify(created));
  const form = new FormData();
  form.set('init_params', '{}');
  const started = await jetty.call('POST', `/run/wf/${task}`, form);
  if (!started.workflow_id) throw new Error(JSON.stringify(started));
  return started.workflow_id;
}

describe('durable workflows survive kill -9 of the serving process', () => {
  it('a 6-step model workflow killed after step 3 was journaled resumes with exactly one request per step', async () => {
    const dataDir = mkdtempSync(path.join(os.tmpdir(), 'jetty-wf-crash-'));
    dirs.push(dataDir);
    const names = ['s1', 's2', 's3', 's4', 's5', 's6'];
    const step_configs = Object.fromEntries(
      names.map((n, i) => [n, { activity: 'litellm_chat', model: 'openai/scripted', prompt: i === 0 ? `${n}: start` : `${n}: after {{ ${names[i - 1]}.outputs.text }}` }]),
    );
    const first = await serve(dataDir, { step: 's3' });
    const id = await runAsync(first, 'six', { step_configs, steps: names });
    await waitFor(() => first.lines.includes('frozen'), 'step 3 to be journaled');
    first.child.kill('SIGKILL');
    expect(await first.exited).toBe('SIGKILL');
    expect(integrity(path.join(dataDir, 'jetty.db'))).toBe('ok');
    expect(names.map(requestsFor)).toEqual([1, 1, 1, 0, 0, 0]);

    const second = await serve(dataDir);
    const t = await finished(second, `/db/trajectory/wf/six/${id}`);
    expect(t.status).toBe('completed');
    expect(names.map(requestsFor)).toEqual([1, 1, 1, 1, 1, 1]);
    expect(names.map(generationsFor)).toEqual([1, 1, 1, 1, 1, 1]);
    expect(t.steps.s4.inputs.prompt).toBe('s4: after done(s3)');
    expect(t.usage.total_tokens).toBe(42);
    const logs = (await second.call('GET', `/workflows-logs/${id}`)).logs as { payload: Record<string, unknown> }[];
    expect(logs.find((e) => e.payload.status === 'resumed')!.payload).toEqual({ status: 'resumed', completed_steps: ['s1', 's2', 's3'], resumed_at: 's4' });
    second.child.kill('SIGTERM');
    await second.exited;
    expect(integrity(path.join(dataDir, 'jetty.db'))).toBe('ok');
  });

  it('a Replicate step killed while its prediction runs polls that same prediction on resume: no second prediction', async () => {
    const dataDir = mkdtempSync(path.join(os.tmpdir(), 'jetty-wf-crash-replicate-'));
    dirs.push(dataDir);
    const first = await serve(dataDir);
    const id = await runAsync(first, 'flux', { step_configs: { draw: { activity: 'replicate_text2image', model: 'black-forest-labs/flux-schnell', prompt: 'crash: a sunset' } }, steps: ['draw'] });
    const polled = () => model.predictions.length === 1 && model.requests.some((r) => r.method === 'GET' && r.path === `/v1/predictions/${model.predictions[0].id}`);
    // The attempt polls only after it has journaled the prediction's id.
    await waitFor(polled, 'the prediction to be created and polled');
    first.child.kill('SIGKILL');
    await first.exited;
    expect(integrity(path.join(dataDir, 'jetty.db'))).toBe('ok');
    releasePredictions();

    const second = await serve(dataDir);
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
    const first = await serve(dataDir, { completedChildren: 10, task: 'child' });
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

    const second = await serve(dataDir);
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
