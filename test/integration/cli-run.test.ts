import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REPO, jetty, requireBuiltCli, spawnJsonLines, waitFor } from '../helpers/cli';
import { TEST_BASE_IMAGE, requireDocker, runContainers } from '../helpers/docker';
import { callTools, startScriptedModelServer, type ScriptedModelServer } from '../helpers/scripted-model-server';
import { NAMED_SCRIPTS } from '../helpers/scripted-model-scripts';

const HELLO = path.join(REPO, 'resources/examples/demo/hello-report/RUNBOOK.md');
const SECRET_REPORT = path.join(REPO, 'test/fixtures/runs/demo/secret-report/RUNBOOK.md');

describe('jetty run and the trajectory commands', () => {
  let dir: string;
  const servers: ScriptedModelServer[] = [];
  const server = async (script: Parameters<typeof startScriptedModelServer>[0]) => {
    const s = await startScriptedModelServer(script);
    servers.push(s);
    return { OPENAI_BASE_URL: s.url, OPENAI_API_KEY: 'test-key' };
  };

  beforeAll(async () => {
    requireBuiltCli();
    await requireDocker();
    dir = await mkdtemp(path.join(os.tmpdir(), 'jetty-cli-run-'));
  });
  afterAll(async () => {
    await Promise.all(servers.map((s) => s.close()));
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('runs to completed (exit 0), then lists, shows, exports and re-imports the trajectory', async () => {
    const env = await server(NAMED_SCRIPTS['hello-report']);
    const run = await jetty(['run', HELLO, '--image', TEST_BASE_IMAGE, '--model', 'scripted', '--param', 'name=Ada', '--data-dir', dir], env);
    expect(run.code, run.stderr).toBe(0);
    const id = /^Trajectory ([0-9a-f]{8})$/m.exec(run.stdout)?.[1];
    expect(id).toBeDefined();
    expect(run.stdout).toMatch(/completed in [\d.]+ s — evaluation: passed \(1 pass, 0 partial, 0 fail\)/);

    const list = await jetty(['trajectories', '--json', '--data-dir', dir]);
    const page = JSON.parse(list.stdout) as { trajectories: { id: string; init_params: Record<string, string> }[]; total: number; has_more: boolean };
    expect(page.trajectories.find((t) => t.id === id)?.init_params.name).toBe('Ada');

    const show = await jetty(['trajectory', 'show', id!, '--data-dir', dir]);
    expect(show.stdout).toMatch(/completed/);
    expect(show.stdout).toMatch(/summary\.md/);

    const exported = await jetty(['export', id!, '--data-dir', dir]);
    const doc = JSON.parse(exported.stdout) as { id: string; events: unknown[]; steps: Record<string, unknown> };
    expect(doc.events.length).toBeGreaterThan(5);
    expect(Object.keys(doc.steps)).toContain('agent');
    const file = path.join(dir, 'export.json');
    await writeFile(file, exported.stdout);
    const otherDir = path.join(dir, 'other');
    const imported = await jetty(['import', file, '--data-dir', otherDir]);
    expect(imported.code, imported.stderr).toBe(0);
    expect(imported.stdout.trim()).toBe(id);
    const again = await jetty(['export', id!, '--data-dir', otherDir]);
    expect(JSON.parse(again.stdout)).toEqual(doc);
  });

  it('imports a cloud trajectory.json summary', async () => {
    const file = path.join(dir, 'summary.json');
    await writeFile(file, JSON.stringify({
      collection: 'acme', task: 'deck', trajectory_id: 'abcd1234', agent: 'claude-code', model: 'claude-sonnet-4-6',
      ran_at: '2026-06-07T04:10:30Z', duration_seconds: 163, status: 'completed', eval: { overall_passed: true, pass: 9, fail: 0 }, notes: 'nine fills placed',
    }));
    const imported = await jetty(['import', file, '--data-dir', dir]);
    expect(imported.stdout.trim()).toBe('abcd1234');
    const show = JSON.parse((await jetty(['trajectory', 'show', 'abcd1234', '--json', '--data-dir', dir])).stdout);
    expect(show).toMatchObject({ collection: 'acme', status: 'completed', evaluation: { overall_passed: true, pass: 9 } });
    expect(show.ended_at).toBe('2026-06-07T04:13:13.000Z');
  });

  it('Ctrl-C cancels: exit 130 and the container is removed', async () => {
    const env = await server(() => callTools({ name: 'bash', arguments: { command: 'echo go; sleep 300' } }));
    const run = spawnJsonLines(['run', HELLO, '--image', TEST_BASE_IMAGE, '--model', 'scripted', '--json', '--data-dir', dir], env);
    await waitFor(() => run.lines.some((l) => l.type === 'command_output'), 'the command to start');
    const id = String(run.lines.find((l) => l.type === 'trajectory')?.id);
    run.child.kill('SIGINT');
    expect(await run.exited).toBe(130);
    const result = run.lines.find((l) => l.type === 'result') as { trajectory: { status: string } };
    expect(result.trajectory.status).toBe('cancelled');
    // A one-shot process leaves the removal to Docker once asked: it is done within moments of the exit.
    const docker = await requireDocker();
    await expect.poll(() => runContainers(docker, id), { timeout: 10_000 }).toEqual([]);
  });

  it('explains what is missing: exit 1 listing parameters and secrets, exit 2 on bad usage', async () => {
    const missing = await jetty(['run', SECRET_REPORT, '--data-dir', dir]);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toMatch(/missing required parameter 'topic'/);
    expect(missing.stderr).toMatch(/missing required secret 'DEMO_TOKEN'/);
    expect(missing.stderr).toMatch(/--secret NAME/);
    const unset = await jetty(['run', SECRET_REPORT, '--secret', 'DEMO_TOKEN', '--data-dir', dir], { DEMO_TOKEN: '' });
    expect(unset.code).toBe(2);
    expect(unset.stderr).toMatch(/set the environment variable DEMO_TOKEN/);
    expect((await jetty(['run', '--data-dir', dir])).code).toBe(2);
    expect((await jetty(['run', HELLO, '--param', 'oops', '--data-dir', dir])).code).toBe(2);
    expect((await jetty(['import', path.join(dir, 'nope.json'), '--data-dir', dir])).code).toBe(2);
    const notFound = await jetty(['export', 'ffffffff', '--data-dir', dir]);
    expect(notFound.code).toBe(1);
    expect(notFound.stderr).toMatch(/ffffffff/);
  });
});
