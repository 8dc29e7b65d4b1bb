// A long run of pure steps leaves the event loop free: the local API (what `jetty serve`
// serves) answers while a 10,000-step text_echo workflow runs in the same process.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { reply } from '../helpers/scripted-model-server';
import { startWorkflowApi, type WorkflowApi } from '../helpers/workflow-engine';

/**
 * Long enough that the run outlasts the few loop turns one HTTP exchange needs (connect,
 * request, answer: each waits for the run's next step aside), on a fast Node too.
 */
const STEPS = 10_000;

let api: WorkflowApi;
beforeAll(async () => {
  api = await startWorkflowApi(() => reply('unused'));
});
afterAll(async () => api?.close());

describe('long pure workflow runs yield to the event loop', () => {
  it(`a ${STEPS}-step text_echo run: /api/health answers while it runs, and timers get their turns`, async () => {
    const names = Array.from({ length: STEPS }, (_, i) => `s${i}`);
    const document = {
      init_params: { text: 'x' },
      step_configs: Object.fromEntries(names.map((n, i) => [n, { activity: 'text_echo', text_path: i === 0 ? 'init_params.text' : `${names[i - 1]}.outputs.text` }])),
      steps: names,
    };
    // How often a 5 ms timer got its turn while the run went: a run that holds the loop from
    // start to end leaves it none (counted by events, not against a wall-clock budget).
    let ended = false;
    let turnsWhileRunning = 0;
    const ticks = setInterval(() => {
      if (!ended) turnsWhileRunning++;
    }, 5);
    const handle = api.engine.workflows.start({ collection: 'wf', task: 'long', document });
    const done = handle.done.then((t) => {
      ended = true;
      return t;
    });
    const health = await fetch(`${api.server.origin}/api/health`, { headers: { authorization: `Bearer ${api.token}` } });
    const answeredWhileRunning = !ended;
    const t = await done;
    clearInterval(ticks);
    expect(health.status).toBe(200);
    expect(t.status).toBe('completed');
    expect(t.steps[names.at(-1)!].outputs.text).toBe('x');
    expect(answeredWhileRunning).toBe(true);
    expect(turnsWhileRunning).toBeGreaterThanOrEqual(2);
  });
});
