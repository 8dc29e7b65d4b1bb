/**
 * kill -9 in the middle of a fan-out of 10,000 children (the most one root may start:
 * MAX_CHILDREN_PER_ROOT), each making one model call: the restarted process resumes the
 * fan-out, adopts what was started and starts the rest, and in the end every child exists
 * once, completed, its model answer generated once (a call in flight at the kill is asked
 * again with its attempt's idempotency key and answered from the first generation), and the
 * store passes SQLite's integrity_check after the kill and at the end.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { reply, startScriptedModelServer, type ChatRequest, type ScriptedModelServer } from '../helpers/scripted-model-server';
import { scriptedProviderEnv } from '../helpers/workflow-engine';
import { finished, integrity, killServingProcesses, runAsync, serve, type ServingJetty } from '../helpers/workflow-serve';

const CHILDREN = 10_000;
/** The kill comes once this many children have completed (the rest are running, or not started). */
const KILL_AFTER = 4_000;

const prompt = (r: ChatRequest | undefined) => String(r?.messages?.at(-1)?.content ?? '');

let model: ScriptedModelServer;
const dirs: string[] = [];
beforeAll(async () => {
  model = await startScriptedModelServer((r) => reply(`done ${prompt(r)}`));
});
afterAll(async () => {
  killServingProcesses();
  await model?.close();
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

const childStats = async (jetty: ServingJetty) => (await jetty.call('GET', '/db/stats/wf/child')).by_status as Record<string, number>;

describe('kill -9 during a fan-out of 10,000 children', () => {
  it('restarts to every child exactly once: 10,000 children, 10,000 generations, no duplicate, integrity ok', async () => {
    const dataDir = mkdtempSync(path.join(os.tmpdir(), 'jetty-wf-crash-10k-'));
    dirs.push(dataDir);
    const env = scriptedProviderEnv(model);
    const started = performance.now();
    const first = await serve(dataDir, env);
    await first.call('POST', '/collections/', { name: 'wf' });
    const child = { step_configs: { ask: { activity: 'litellm_chat', model: 'openai/scripted', prompt: 'item-{{ init_params.item }}:' } }, steps: ['ask'] };
    expect((await first.call('POST', '/tasks/wf', { name: 'child', workflow: child })).name).toBe('child');
    const id = await runAsync(first, 'fan', {
      init_params: { items: Array.from({ length: CHILDREN }, (_, i) => i) },
      step_configs: { fan: { activity: 'list_emit_await', items_path: 'init_params.items', child_workflow_name: 'wf/child', max_concurrency: 64 } },
      steps: ['fan'],
    });
    // Polled from outside (bounded): the kill lands wherever the process is, mid-commit or not.
    const deadline = Date.now() + 120_000;
    while ((await childStats(first)).completed < KILL_AFTER) {
      if (Date.now() > deadline) throw new Error(`fewer than ${KILL_AFTER} children completed in 120 s`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    first.child.kill('SIGKILL');
    expect(await first.exited).toBe('SIGKILL');
    const killedAfterMs = performance.now() - started;
    expect(integrity(path.join(dataDir, 'jetty.db'))).toBe('ok');
    const atKill = { generations: model.generations.length, requests: model.requests.length };

    const second = await serve(dataDir, env);
    const t = await finished(second, `/db/trajectory/wf/fan/${id}`, 180_000);
    const totalMs = performance.now() - started;
    expect(t.status, t.error).toBe('completed');
    const ids = t.steps.fan.outputs.trajectory_ids as string[];
    expect(ids).toHaveLength(CHILDREN);
    expect(new Set(ids).size).toBe(CHILDREN);
    const stats = await childStats(second);
    expect(stats.completed).toBe(CHILDREN);
    second.child.kill('SIGTERM');
    await second.exited;

    // Each item's answer was generated once, however often it was asked.
    const generated = new Map<string, number>();
    for (const g of model.generations) generated.set(prompt(g), (generated.get(prompt(g)) ?? 0) + 1);
    expect(generated.size).toBe(CHILDREN);
    expect([...generated.values()].every((n) => n === 1)).toBe(true);
    const file = path.join(dataDir, 'jetty.db');
    expect(integrity(file)).toBe('ok');
    const db = new Database(file, { readonly: true });
    try {
      const children = db.prepare('SELECT count(*) AS n, count(DISTINCT child_index) AS indexes FROM workflow_runs WHERE parent_id = ?').get(id) as { n: number; indexes: number };
      expect(children).toEqual({ n: CHILDREN, indexes: CHILDREN });
      const items = db.prepare("SELECT count(DISTINCT json_extract(init_params, '$.item')) AS n FROM trajectories WHERE task = 'child'").get() as { n: number };
      expect(items.n).toBe(CHILDREN);
      const answers = db.prepare("SELECT count(*) AS n FROM steps s JOIN workflow_runs r ON r.id = s.trajectory_id WHERE r.parent_id = ? AND s.name = 'ask' AND s.status = 'completed' AND json_extract(s.outputs, '$.text') = 'done item-' || json_extract((SELECT init_params FROM trajectories WHERE id = r.id), '$.item') || ':'").get(id) as { n: number };
      expect(answers.n).toBe(CHILDREN);
    } finally {
      db.close();
    }
    console.log(
      `10,000-child fan-out: killed after ${(killedAfterMs / 1000).toFixed(1)} s (${atKill.generations} generations, ${atKill.requests} requests), done ${(totalMs / 1000).toFixed(1)} s after the start; ${model.requests.length - atKill.requests} requests after the restart, ${model.requests.length - model.generations.length} answered from their idempotency key`,
    );
  });
});
