// A long run of pure steps leaves the event loop free: the local API (what `jetty serve`
// serves) answers while a 2,000-step text_echo workflow runs in the same process.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { reply } from '../helpers/scripted-model-server';
import { startWorkflowApi, type WorkflowApi } from '../helpers/workflow-engine';

const STEPS = 2000;
/**
 * The longest the event loop may stall, as a share of the run's own time (not a wall-clock
 * budget: a loaded machine stretches both). Unsliced, the run holds the loop from start to
 * end (the widest stall is the whole run); sliced every 20 ms, a stall is a slice plus GC and
 * the trajectory-changed notice of that turn (72–290 ms of a 1.5–4 s run measured here).
 */
const MAX_STALL_SHARE = 0.5;

let api: WorkflowApi;
beforeAll(async () => {
  api = await startWorkflowApi(() => reply('unused'));
});
afterAll(async () => api?.close());

describe('long pure workflow runs yield to the event loop', () => {
  it(`a ${STEPS}-step text_echo run: /api/health answers while it runs, and the loop is never held for long`, async () => {
    const names = Array.from({ length: STEPS }, (_, i) => `s${i}`);
    const document = {
      init_params: { text: 'x' },
      step_configs: Object.fromEntries(names.map((n, i) => [n, { activity: 'text_echo', text_path: i === 0 ? 'init_params.text' : `${names[i - 1]}.outputs.text` }])),
      steps: names,
    };
    // The loop's longest stall while the run goes: the widest gap between ticks of a 5 ms timer.
    let widest = 0;
    let last = await new Promise<number>((resolve) => setTimeout(() => resolve(performance.now()), 5));
    const ticks = setInterval(() => {
      const now = performance.now();
      widest = Math.max(widest, now - last);
      last = now;
    }, 5);
    const started = performance.now();
    const handle = api.engine.workflows.start({ collection: 'wf', task: 'long', document });
    let ended = false;
    const done = handle.done.then((t) => {
      ended = true;
      return t;
    });
    const health = await fetch(`${api.server.origin}/api/health`, { headers: { authorization: `Bearer ${api.token}` } });
    const answeredWhileRunning = !ended;
    const t = await done;
    const elapsed = performance.now() - started;
    clearInterval(ticks);
    widest = Math.max(widest, performance.now() - last);
    expect(health.status).toBe(200);
    expect(t.status).toBe('completed');
    expect(t.steps[names.at(-1)!].outputs.text).toBe('x');
    expect(answeredWhileRunning).toBe(true);
    expect(widest).toBeLessThan(elapsed * MAX_STALL_SHARE);
  });
});
