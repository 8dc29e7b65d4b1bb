/**
 * A fan-out cannot become a fork bomb. A `list_emit_await` whose child is its own task
 * (once 57,599 runs in 15 s, /api/health ~10 s, the cancel unanswered, a heap OOM, and the
 * restart resumed it) now stops at the depth bound; a large one can be cancelled at once,
 * down to every descendant; a journal such a bomb left is resumed within the same bounds
 * and its leftovers ended; children run at most so many at a time per root and per engine
 * (nested fan-outs do not deadlock on the slots); a fan-out over more items than a root may
 * start fails before it starts any. The serving process runs apart (workflow-serve-child.ts)
 * and is watched from outside: /api/health keeps answering.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { reply, type ChatRequest } from '../helpers/scripted-model-server';
import { startWorkflowApi, type Json, type WorkflowApi } from '../helpers/workflow-engine';
import { integrity, killServingProcesses, runAsync, serve, type ServingJetty } from '../helpers/workflow-serve';

const dirs: string[] = [];
const freshDir = () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'jetty-wf-bomb-'));
  dirs.push(dir);
  return dir;
};
afterAll(() => {
  killServingProcesses();
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

/** A task `wf/bomb` that fans out over `n` items to itself. */
const bomb = (n: number) => ({
  init_params: { items: Array.from({ length: n }, (_, i) => i) },
  step_configs: { fan: { activity: 'list_emit_await', items_path: 'init_params.items', child_workflow_name: 'wf/bomb', max_concurrency: n } },
  steps: ['fan'],
});

const ENDED = ['completed', 'failed', 'cancelled'];
const stats = (jetty: ServingJetty): Promise<Json> => jetty.call('GET', '/db/stats/wf/bomb');
const root = (jetty: ServingJetty, id: string): Promise<Json> => jetty.call('GET', `/db/trajectory/wf/bomb/${id}`);

/**
 * Samples /api/health from outside (at least once) until `done()` holds, bounded by
 * `timeoutMs`; returns the slowest answer in ms, what a blocked event loop would show.
 */
async function watching(jetty: ServingJetty, done: () => Promise<boolean>, what: string, timeoutMs = 60_000): Promise<number> {
  const deadline = Date.now() + timeoutMs;
  let worst = 0;
  for (;;) {
    worst = Math.max(worst, await jetty.healthLatency());
    if (await done()) return worst;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what} (slowest /api/health: ${worst.toFixed(0)} ms)`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

const allEnded = async (jetty: ServingJetty, id: string) => ENDED.includes((await root(jetty, id)).status) && (await stats(jetty)).by_status.running === 0;

/** Most children a fan-out over 3 items to itself starts before the depth bound (4 levels) stops it: 3 + 9 + 27 + 81. */
const BOUNDED_TREE = 120;
const DEPTH_ERROR = 'workflows nest deeper than the bound of 4 levels of child workflows: wf/bomb → wf/bomb → wf/bomb → wf/bomb → wf/bomb → wf/bomb (a workflow that starts itself ends here)';

describe('a fan-out to itself is bounded (serving process watched from outside)', () => {
  it(`stops at the depth bound: at most ${BOUNDED_TREE} children, every one ended, /api/health answering throughout`, async () => {
    const jetty = await serve(freshDir(), {});
    const id = await runAsync(jetty, 'bomb', bomb(3));
    const slowest = await watching(jetty, () => allEnded(jetty, id), 'the bomb to end');
    const t = await root(jetty, id);
    expect(t.status).toBe('failed');
    expect(t.error).toContain(DEPTH_ERROR);
    const s = await stats(jetty);
    expect(s.total - 1).toBeLessThanOrEqual(BOUNDED_TREE);
    console.log(`fan-out to itself ×3: ${s.total - 1} children, slowest /api/health ${slowest.toFixed(0)} ms`);
    expect(slowest).toBeLessThan(1000);
    jetty.child.kill('SIGTERM');
    await jetty.exited;
  });

  it('a large one is cancelled at once: the cancel answers under load and reaches every descendant', async () => {
    const jetty = await serve(freshDir(), {});
    const id = await runAsync(jetty, 'bomb', bomb(30));
    const rampUp = await watching(jetty, async () => (await stats(jetty)).total > 300, '300 runs of the bomb');
    const started = performance.now();
    const answer = await jetty.call('POST', '/trajectory/wf/bomb/statuses', { [id]: 'cancelled' });
    const cancelMs = performance.now() - started;
    expect(answer.updated).toEqual([id]);
    const slowest = await watching(jetty, () => allEnded(jetty, id), 'every run of the bomb to end');
    expect((await root(jetty, id)).status).toBe('cancelled');
    const s = await stats(jetty);
    console.log(
      `fan-out to itself ×30 cancelled at ${s.total} runs: cancel answered in ${cancelMs.toFixed(0)} ms, slowest /api/health ${rampUp.toFixed(0)} ms while it grew and ${slowest.toFixed(0)} ms after the cancel, by status ${JSON.stringify(s.by_status)}`,
    );
    expect(cancelMs).toBeLessThan(1000);
    expect(Math.max(rampUp, slowest)).toBeLessThan(1000);
    expect(s.total).toBeLessThanOrEqual(10_001);
    jetty.child.kill('SIGTERM');
    await jetty.exited;
  });

  it('a bomb an unbounded engine left, killed -9, is resumed within the bounds: it ends, its leftovers are ended, nothing more runs', async () => {
    const dataDir = freshDir();
    // The first process runs without the depth bound (as the engine before it did).
    const first = await serve(dataDir, { WORKFLOW_LIMITS: JSON.stringify({ depth: 50, childrenPerRoot: 1_000_000 }) });
    const id = await runAsync(first, 'bomb', bomb(3));
    await watching(first, async () => (await stats(first)).total > 400, '400 runs of the unbounded bomb');
    first.child.kill('SIGKILL');
    await first.exited;
    expect(integrity(path.join(dataDir, 'jetty.db'))).toBe('ok');

    const second = await serve(dataDir, {});
    const before = (await stats(second)).total;
    // The resume starts with the engine, before the process listens: it may have ended already.
    const slowest = await watching(second, () => allEnded(second, id), 'the resumed bomb to end');
    const t = await root(second, id);
    expect(t.status).toBe('failed');
    expect(t.error).toContain(DEPTH_ERROR);
    const s = await stats(second);
    console.log(`resumed bomb: ${before} runs at the kill, ${s.total} at the end, slowest /api/health ${slowest.toFixed(0)} ms, by status ${JSON.stringify(s.by_status)}`);
    expect(s.total).toBeLessThanOrEqual(before + BOUNDED_TREE);
    expect(s.by_status.running).toBe(0);
    expect(slowest).toBeLessThan(1000);
    second.child.kill('SIGTERM');
    await second.exited;
    expect(integrity(path.join(dataDir, 'jetty.db'))).toBe('ok');
  });
});

describe('children at once and in all', () => {
  const prompt = (r: ChatRequest) => String(r.messages.at(-1)?.content ?? '');
  let inFlight = 0;
  const inFlightByRoot = new Map<string, number>();
  let most = 0;
  const mostByRoot = new Map<string, number>();
  let api: WorkflowApi;
  beforeAll(async () => {
    api = await startWorkflowApi(
      async (r) => {
        const rootName = prompt(r).split(':')[0];
        inFlight++;
        inFlightByRoot.set(rootName, (inFlightByRoot.get(rootName) ?? 0) + 1);
        most = Math.max(most, inFlight);
        mostByRoot.set(rootName, Math.max(mostByRoot.get(rootName) ?? 0, inFlightByRoot.get(rootName)!));
        await new Promise((resolve) => setTimeout(resolve, 20));
        inFlight--;
        inFlightByRoot.set(rootName, inFlightByRoot.get(rootName)! - 1);
        return reply('done');
      },
      { workflowLimits: { liveChildren: 4, liveChildrenPerRoot: 3 } },
    );
    await api.post('/collections/', { name: 'wf' });
    await api.post('/tasks/wf', { name: 'slow', workflow: { step_configs: { call: { activity: 'litellm_chat', model: 'openai/m', prompt: '{{ init_params.root }}: {{ init_params.item }}' } }, steps: ['call'] } });
    await api.post('/tasks/wf', {
      name: 'mid',
      workflow: { step_configs: { fan: { activity: 'list_emit_await', items: [1, 2, 3], child_workflow_name: 'wf/slow', max_concurrency: 3, additional_params: { root_path: 'init_params.root' } } }, steps: ['fan'] },
    });
  });
  afterAll(async () => api?.close());

  const fan = (rootName: string, task: string, n: number) => ({
    step_configs: { fan: { activity: 'list_emit_await', items: Array.from({ length: n }, (_, i) => i), child_workflow_name: `wf/${task}`, max_concurrency: n, additional_params: { root: rootName } } },
    steps: ['fan'],
  });

  it('two roots asking for 12 at once each run at most 3 children per root and 4 in the engine', async () => {
    const [a, b] = await Promise.all([api.runSync('root-a', fan('a', 'slow', 12)), api.runSync('root-b', fan('b', 'slow', 12))]);
    expect(a.json.status, a.text).toBe('completed');
    expect(b.json.status, b.text).toBe('completed');
    expect(most).toBeLessThanOrEqual(4);
    expect(mostByRoot.get('a')).toBeLessThanOrEqual(3);
    expect(mostByRoot.get('b')).toBeLessThanOrEqual(3);
    expect(most).toBeGreaterThan(1);
  });

  it('nested fan-outs wider than the slots complete: a child waiting on its own children holds no slot', async () => {
    const res = await api.runSync('nested', fan('n', 'mid', 6));
    expect(res.json.status, res.text).toBe('completed');
    expect(api.model.requests.filter((r) => r.body && prompt(r.body as ChatRequest).startsWith('n:'))).toHaveLength(18);
    expect(mostByRoot.get('n')).toBeLessThanOrEqual(3);
  });

  it('a fan-out over more items than a root may start (10,001 > 10,000) fails before it starts any', async () => {
    await api.post('/tasks/wf', { name: 'never', workflow: { step_configs: { e: { activity: 'text_echo', text: 'x' } }, steps: ['e'] } });
    const items = Array.from({ length: 10_001 }, (_, i) => i);
    const res = await api.runSync('too-many', { init_params: { items }, step_configs: { fan: { activity: 'list_emit_await', items_path: 'init_params.items', child_workflow_name: 'wf/never', max_concurrency: 4 } }, steps: ['fan'] });
    expect(res.json.status).toBe('failed');
    expect(res.json.error).toBe("step 'fan' failed: it would start 10,001 child workflows; with the 0 its workflow tree has started that passes the bound of 10,000 per root run");
    expect((await api.curl([`${api.base}/db/stats/wf/never`])).json.total).toBe(0);
  });
});
