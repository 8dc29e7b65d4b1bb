// Routines over a real engine (real SQLite, real workflow runs, the REST door over HTTP), with time
// moved by hand: the scheduler's clock is injected, so no test sleeps for a slot.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Routine } from '../../shared/routines';
import { waitFor } from '../helpers/cli';
import { reply } from '../helpers/scripted-model-server';
import { manualClock } from '../helpers/manual-clock';
import { startWorkflowApi, type Json, type WorkflowApi } from '../helpers/workflow-engine';

// Friday 6 March 2026, 10:30 UTC.
const clock = manualClock('2026-03-06T10:30:00.000Z');
const ECHO = { init_params: { text: 'hello', tone: 'plain' }, step_configs: { echo: { activity: 'text_echo', text_path: 'init_params.text' } }, steps: ['echo'] };

let api: WorkflowApi;
const call = async (method: string, pathname: string, body?: unknown): Promise<{ status: number; json: Json }> => {
  const res = await fetch(`${api.base}${pathname}`, {
    method,
    headers: { authorization: `Bearer ${api.token}`, ...(body ? { 'content-type': 'application/json' } : {}) },
    body: body ? JSON.stringify(body) : undefined,
  });
  return { status: res.status, json: await res.json() };
};
const runsOf = async (name: string) => (await call('GET', `/routines/sched/echo/${name}/runs?limit=100`)).json.runs as Json[];
/** Waits for the runs routines started to end (they are workflow runs of a single echo step). */
const settled = () => waitFor(() => api.engine.services.store.listTrajectories({ collection: 'sched', status: 'running' }).total === 0, 'the routine runs to end', 10_000);
/** Moves the clock and waits for the pass it set off (and the runs it started) to end. */
async function at(iso: string) {
  clock.set(iso);
  await api.engine.routines.tick();
  await settled();
}

beforeAll(async () => {
  api = await startWorkflowApi(() => reply('unused'), { engine: { routineClock: clock } });
  expect((await api.post('/collections/', { name: 'sched' })).status).toBe(201);
  expect((await api.post('/tasks/sched', { name: 'echo', workflow: ECHO })).status).toBe(201);
});
afterAll(async () => api?.close());

describe('routines: cadences in UTC, missed firings, pause and resume', () => {
  it.each<[string, Routine['cadence'], string, string]>([
    ['hourly', { type: 'hourly', minute_utc: 15 }, '2026-03-06T11:15:00.000Z', '2026-03-06T12:15:00.000Z'],
    ['daily', { type: 'daily', hour_utc: 9, minute_utc: 0 }, '2026-03-07T09:00:00.000Z', '2026-03-08T09:00:00.000Z'],
    // Created on a Friday after 09:00: Monday, then Tuesday (the weekend is skipped).
    ['weekdays', { type: 'weekdays', hour_utc: 9, minute_utc: 0 }, '2026-03-09T09:00:00.000Z', '2026-03-10T09:00:00.000Z'],
    ['weekly', { type: 'weekly', hour_utc: 8, minute_utc: 30, day_of_week: 'wed' }, '2026-03-11T08:30:00.000Z', '2026-03-18T08:30:00.000Z'],
  ])('%s: next_run_at, nothing before the slot, one run at it, tagged with the routine', async (name, cadence, first, second) => {
    clock.set('2026-03-06T10:30:00.000Z');
    const created = await call('POST', '/routines/sched/echo', { name, cadence, init_params_overrides: { text: `from ${name}` } });
    expect(created.status, JSON.stringify(created.json)).toBe(201);
    expect(created.json).toMatchObject({ name, paused: false, next_run_at: first });
    await at(new Date(Date.parse(first) - 1000).toISOString());
    expect(await runsOf(name)).toEqual([]);
    await at(first);
    const runs = await runsOf(name);
    expect(runs).toHaveLength(1);
    expect(runs[0]).toMatchObject({ trigger: 'schedule', slot: first, missed: 0, state: 'started', status: 'completed', note: `ran at its slot ${first}` });
    expect(runs[0].trajectory).toMatchObject({ triggered_by_routine_id: created.json.id, init_params: { text: `from ${name}` } });
    const t = (await call('GET', `/db/trajectory/sched/echo/${runs[0].trajectory_id}`)).json;
    expect(t).toMatchObject({ triggered_by_routine_id: created.json.id, labels: [expect.objectContaining({ key: 'routine', value: name })] });
    expect((await call('GET', `/routines/sched/echo/${name}`)).json.next_run_at).toBe(second);
    // Paused from here on, so the next cases' clock moves fire nothing of it.
    expect((await call('POST', `/routines/sched/echo/${name}/pause`)).json).toMatchObject({ paused: true, next_run_at: null });
  });

  it('manual: no schedule, fires only on run-now; its fields are refused', async () => {
    expect((await call('POST', '/routines/sched/echo', { name: 'bad-manual', cadence: { type: 'manual', hour_utc: 3 } })).status).toBe(422);
    const created = await call('POST', '/routines/sched/echo', { name: 'manual', cadence: { type: 'manual' } });
    expect(created.json.next_run_at).toBeNull();
    await at('2026-03-20T00:00:00.000Z');
    expect(await runsOf('manual')).toEqual([]);
    const now = await call('POST', '/routines/sched/echo/manual/run-now');
    expect(now.json.workflow_id).toMatch(/^[0-9a-f]{8}$/);
    await settled();
    expect(await runsOf('manual')).toMatchObject([{ trigger: 'manual', slot: null, trajectory_id: now.json.workflow_id, note: 'run now' }]);
  });

  it('after a sleep past five slots it runs once, and says so in its history', async () => {
    clock.set('2026-03-20T00:00:00.000Z');
    await call('POST', '/routines/sched/echo', { name: 'sleepy', cadence: { type: 'hourly', minute_utc: 0 } });
    await at('2026-03-20T01:00:00.000Z');
    // The machine sleeps from 01:30 to 06:20: the 02:00 … 06:00 slots pass unseen.
    await at('2026-03-20T06:20:00.000Z');
    await at('2026-03-20T06:21:00.000Z');
    const runs = await runsOf('sleepy');
    expect(runs.map((r: Json) => [r.slot, r.missed])).toEqual([
      ['2026-03-20T06:00:00.000Z', 4],
      ['2026-03-20T01:00:00.000Z', 0],
    ]);
    expect(runs[0].note).toBe('5 slots passed while Jetty was not running (asleep or stopped); ran once, late, for 2026-03-20T06:00:00.000Z');
  });

  it('the scheduler wakes itself: its timer is set for the next slot (or a minute, to notice a sleep)', async () => {
    clock.set('2026-03-21T00:00:30.000Z');
    await call('POST', '/routines/sched/echo', { name: 'timed', cadence: { type: 'hourly', minute_utc: 1 } });
    expect(clock.pending()[0]).toBe(Date.parse('2026-03-21T00:01:00.000Z'));
    clock.set('2026-03-21T00:01:00.000Z'); // runs the timer: no tick by hand
    await api.engine.routines.tick();
    await settled();
    expect((await runsOf('timed')).map((r: Json) => r.slot)).toEqual(['2026-03-21T00:01:00.000Z']);
    await call('POST', '/routines/sched/echo/timed/pause');
  });

  it('pause skips its slots; resume does not make them up', async () => {
    clock.set('2026-03-22T00:00:00.000Z');
    await call('POST', '/routines/sched/echo', { name: 'pausable', cadence: { type: 'hourly', minute_utc: 0 } });
    await call('POST', '/routines/sched/echo/pausable/pause');
    await at('2026-03-22T05:30:00.000Z');
    expect(await runsOf('pausable')).toEqual([]);
    expect((await call('POST', '/routines/sched/echo/pausable/resume')).json).toMatchObject({ paused: false, next_run_at: '2026-03-22T06:00:00.000Z' });
    await at('2026-03-22T05:59:59.000Z');
    expect(await runsOf('pausable')).toEqual([]);
    await at('2026-03-22T06:00:00.000Z');
    expect((await runsOf('pausable')).map((r: Json) => r.slot)).toEqual(['2026-03-22T06:00:00.000Z']);
  });

  it('overrides are limited to the task’s parameters; names, cadences and secret parameters checked', async () => {
    const bad = await call('POST', '/routines/sched/echo', { name: 'o', cadence: { type: 'daily', hour_utc: 1 }, init_params_overrides: { text: 'x', colour: 'red' } });
    expect(bad).toMatchObject({ status: 400, json: { error: { message: 'init_params_overrides: colour is not a parameter of sched/echo (it takes text, tone)' } } });
    expect((await call('POST', '/routines/sched/echo', { name: 'w', cadence: { type: 'weekly', hour_utc: 1 } })).status).toBe(422);
    expect((await call('POST', '/routines/sched/echo', { name: 'h', cadence: { type: 'daily', hour_utc: 24 } })).status).toBe(422);
    expect((await call('POST', '/routines/sched/echo', { name: 's', cadence: { type: 'manual' }, secret_params: { TOKEN: 'abc' } })).status).toBe(400);
    expect((await call('POST', '/routines/sched/nope', { name: 'x', cadence: { type: 'manual' } })).status).toBe(404);
    expect((await call('POST', '/routines/sched/echo', { name: 'pausable', cadence: { type: 'manual' } })).status).toBe(409);
    expect((await call('PATCH', '/routines/sched/echo/pausable', { init_params_overrides: { tone: 'loud' } })).json.init_params_overrides).toEqual({ tone: 'loud' });
    expect((await call('GET', '/routines/sched')).json.map((r: Routine) => r.name)).toContain('pausable');
    expect((await call('DELETE', '/routines/sched/echo/pausable')).status).toBe(200);
    expect((await call('GET', '/routines/sched/echo/pausable')).status).toBe(404);
  });
});
