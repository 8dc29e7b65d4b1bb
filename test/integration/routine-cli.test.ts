// `jetty routine` (the built CLI) on a real data folder: a routine of a stored workflow task
// created with a short cadence, a parameter override and a secret from the environment,
// listed, paused, resumed, run now (the run in the command's own process, tagged with the
// routine), its runs listed, deleted; bad cadences and unknown routines refused clearly.
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openStore } from '../../electron/engine/store';
import { jetty, requireBuiltCli } from '../helpers/cli';

const ECHO = { init_params: { text: 'hello' }, step_configs: { echo: { activity: 'text_echo', text_path: 'init_params.text' } }, steps: ['echo'] };
const SECRET = 'routine-cli-secret-5d4c3b';
let dir: string;
const cli = (...args: string[]) => jetty(['routine', ...args, '--data-dir', dir], { ROUTINE_TOKEN: SECRET, HOOK_KEY: 'hook-secret' });

beforeAll(async () => {
  requireBuiltCli();
  dir = await mkdtemp(path.join(os.tmpdir(), 'jetty-routine-cli-'));
  const store = openStore(path.join(dir, 'jetty.db'));
  store.createCollection({ name: 'ops' });
  store.createTask('ops', { name: 'echo', workflow: ECHO });
  store.close();
});
afterAll(async () => {
  if (dir) await rm(dir, { recursive: true, force: true });
});

describe('jetty routine', () => {
  it('creates, lists, pauses, resumes, runs now, lists runs and deletes a routine', async () => {
    const created = await cli('create', 'ops/echo/morning', '--cadence', 'weekdays@09:30', '--param', 'text=from the cli', '--webhook-url', 'http://127.0.0.1:9/hook', '--webhook-secret-env', 'HOOK_KEY', '--json');
    expect(created.code, created.stderr).toBe(0);
    const routine = JSON.parse(created.stdout);
    expect(routine).toMatchObject({
      name: 'morning',
      cadence: { type: 'weekdays', hour_utc: 9, minute_utc: 30 },
      init_params_overrides: { text: 'from the cli' },
      secret_params: [],
      webhook_secret_set: true,
      next_run_at: expect.stringMatching(/T09:30:00/),
    });
    expect(created.stdout).not.toContain('hook-secret');

    const list = await cli('list', 'ops');
    expect(list.code, list.stderr).toBe(0);
    expect(list.stdout).toMatch(/ops\/echo\/morning\s+weekdays at 09:30 UTC\s+active/);
    expect((await cli('pause', 'ops/echo/morning')).stdout).toMatch(/paused/);
    const shown = await cli('show', 'ops/echo/morning');
    expect(shown.stdout).toMatch(/paused/);
    expect(shown.stdout).toMatch(/webhook: http:\/\/127\.0\.0\.1:9\/hook \(signed\)/);
    expect((await cli('resume', 'ops/echo/morning')).stdout).toMatch(/active/);
    expect((await cli('update', 'ops/echo/morning', '--cadence', 'manual', '--json')).stdout).toMatch(/"next_run_at": null/);

    const ran = await cli('run-now', 'ops/echo/morning', '--json');
    expect(ran.code, ran.stderr).toBe(0);
    const { trajectory_id, status } = JSON.parse(ran.stdout);
    expect(status).toBe('completed');
    const runs = JSON.parse((await cli('runs', 'ops/echo/morning', '--json')).stdout);
    expect(runs).toMatchObject([{ trajectory_id, trigger: 'manual', note: 'run now', status: 'completed' }]);
    expect(runs[0].trajectory).toMatchObject({ triggered_by_routine_id: routine.id, init_params: { text: 'from the cli' } });

    expect((await cli('delete', 'ops/echo/morning')).stdout).toMatch(/Deleted ops\/echo\/morning/);
    expect((await cli('list')).stdout).toMatch(/No routines/);
  });

  it('never fires a due slot itself: it leaves the schedule to the app or jetty serve', async () => {
    expect((await cli('create', 'ops/echo/hourly', '--cadence', 'hourly@00')).code).toBe(0);
    // The routine has been scheduled for three hours: its last slots are due (missed).
    const db = new Database(path.join(dir, 'jetty.db'));
    db.prepare("UPDATE routines SET schedule_from = ? WHERE name = 'hourly'").run(new Date(Date.now() - 3 * 3600_000).toISOString());
    db.close();
    for (const sub of ['list', 'show']) expect((await cli(sub, ...(sub === 'show' ? ['ops/echo/hourly'] : []))).code).toBe(0);
    const runs = await cli('runs', 'ops/echo/hourly', '--json');
    expect(JSON.parse(runs.stdout)).toEqual([]);
    expect((await cli('delete', 'ops/echo/hourly')).code).toBe(0);
  });

  it('refuses bad cadences, unknown routines and secrets missing from the environment, saying what to do', async () => {
    const bad = await cli('create', 'ops/echo/x', '--cadence', 'daily');
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/daily needs a time HH:MM \(UTC\), as in daily@09:30/);
    const late = await cli('create', 'ops/echo/x', '--cadence', 'daily@25:00');
    expect(late.code).toBe(2);
    expect(late.stderr).toMatch(/cadence.*hour_utc/);
    const missing = await cli('pause', 'ops/echo/nope');
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/nope/);
    const noEnv = await cli('create', 'ops/echo/x', '--cadence', 'manual', '--secret', 'NOT_SET_ANYWHERE');
    expect(noEnv.code).toBe(2);
    expect(noEnv.stderr).toMatch(/environment variable NOT_SET_ANYWHERE is not set/);
    // A secret read from the environment is taken; a workflow task says where its secrets go instead.
    const workflowSecret = await cli('create', 'ops/echo/x', '--cadence', 'manual', '--secret', 'ROUTINE_TOKEN');
    expect(workflowSecret.code).toBe(2);
    expect(workflowSecret.stderr).toMatch(/workflow, which takes no secret parameters; set them in the collection's environment/);
    expect(workflowSecret.stderr).not.toContain(SECRET);
    expect((await cli('list')).stdout).toMatch(/No routines/);
  });
});
