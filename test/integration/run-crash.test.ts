import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REPO, requireBuiltCli, spawnJsonLines, waitFor } from '../helpers/cli';
import { TEST_BASE_IMAGE, requireDocker, runContainers } from '../helpers/docker';
import { callTools, startScriptedModelServer, type ScriptedModelServer } from '../helpers/scripted-model-server';
import { NAMED_SCRIPTS } from '../helpers/scripted-model-scripts';

const HELLO = path.join(REPO, 'resources/examples/demo/hello-report/RUNBOOK.md');

const runArgs = (dataDir: string) => ['run', HELLO, '--image', TEST_BASE_IMAGE, '--model', 'scripted', '--json', '--data-dir', dataDir];
const modelEnv = (baseURL: string) => ({ OPENAI_BASE_URL: baseURL, OPENAI_API_KEY: 'test-key' });

describe('a runner killed mid-run', () => {
  let dir: string;
  const servers: ScriptedModelServer[] = [];

  beforeAll(async () => {
    requireBuiltCli();
    await requireDocker();
    dir = await mkdtemp(path.join(os.tmpdir(), 'jetty-crash-'));
  });
  afterAll(async () => {
    await Promise.all(servers.map((s) => s.close()));
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('is marked failed (interrupted) on the next start, with its events intact and no container left', async () => {
    const slow = await startScriptedModelServer(() => callTools({ name: 'bash', arguments: { command: 'echo started; sleep 300' } }));
    servers.push(slow);
    const first = spawnJsonLines(runArgs(dir), modelEnv(slow.url));
    await waitFor(() => first.lines.some((l) => l.type === 'command_output'), 'the sleeping command to start');
    await new Promise((r) => setTimeout(r, 300)); // past the store's 50 ms flush interval
    const id = String(first.lines.find((l) => l.type === 'trajectory')?.id);
    const printed = first.lines.filter((l) => typeof l.seq === 'number').map((l) => l.seq as number);
    first.child.kill('SIGKILL');
    await first.exited;

    const docker = await requireDocker();
    expect((await runContainers(docker, id)).length, 'the killed run left its container').toBe(1);

    // Restart: the next run recovers the dead one before starting.
    const quick = await startScriptedModelServer(NAMED_SCRIPTS['hello-report']);
    servers.push(quick);
    const second = spawnJsonLines(runArgs(dir), modelEnv(quick.url));
    expect(await second.exited).toBe(0);

    const db = new Database(path.join(dir, 'jetty.db'), { readonly: true });
    try {
      expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
      const row = db.prepare('SELECT status, error FROM trajectories WHERE id = ?').get(id) as { status: string; error: string };
      expect(row).toEqual({ status: 'failed', error: 'interrupted' });
      const seqs = (db.prepare('SELECT seq FROM events WHERE trajectory_id = ? ORDER BY seq').all(id) as { seq: number }[]).map((r) => r.seq);
      expect(seqs.length).toBeGreaterThan(0);
      expect(seqs).toEqual(seqs.map((_, i) => i + 1));
      for (const seq of printed) expect(seqs).toContain(seq);
    } finally {
      db.close();
    }
    expect(await runContainers(docker, id)).toEqual([]);
  });
});
