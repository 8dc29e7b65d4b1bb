// `jetty run` with a `jetty serve` of the same data folder up: the CLI hands the serve its run
// (serve.json), which runs it in a warm sandbox — the same run, assembled from the CLI's
// options and environment, not the serve's — and the CLI prints it as its own: events, exit
// codes, refusals, Ctrl-C. Only a reader of serve.json (its key) may hand over a run; a
// caller with the API token alone (a browser) may not. A serve of another Docker, or a dead
// one's file, leaves the run to the CLI. Real Docker, the built CLI and serve, the scripted model.
import { spawn } from 'node:child_process';
import { existsSync, statSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REPO, jetty, requireBuiltCli, spawnJsonLines, waitFor } from '../helpers/cli';
import { TEST_BASE_IMAGE, removeTestContainers, requireDocker, runContainers, untilDocker } from '../helpers/docker';
import { callTools, startScriptedModelServer, type ScriptedModelServer } from '../helpers/scripted-model-server';
import { helloReport } from '../helpers/scripted-model-scripts';
import { startJettyServe, type ServedJetty } from '../helpers/serve';

const HELLO = path.join(REPO, 'resources/examples/demo/hello-report/RUNBOOK.md');
const SECRET_REPORT = path.join(REPO, 'test/fixtures/runs/demo/secret-report/RUNBOOK.md');
const THROUGH = 'running through jetty serve';
const IMPORT_LOG = path.join(REPO, 'test/helpers/import-log.mjs');

describe('jetty run through a running jetty serve', () => {
  let dir: string;
  let dataDir: string;
  let served: ServedJetty;
  /** Answers the CLI's runs: hello-report, or a command that never ends for a model named "hang". */
  let cliModel: ScriptedModelServer;
  /** The serve's own model endpoint: a run assembled from the serve's environment would reach it. */
  let serveModel: ScriptedModelServer;
  let cliEnv: NodeJS.ProcessEnv;
  const lines = (stdout: string) => stdout.trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
  const resultOf = (stdout: string) => lines(stdout).find((l) => l.type === 'result') as { exit_code: number; trajectory: { id: string; status: string } };

  beforeAll(async () => {
    requireBuiltCli();
    await requireDocker();
    dir = await mkdtemp(path.join(os.tmpdir(), 'jetty-cli-run-serve-'));
    dataDir = path.join(dir, 'data');
    await mkdir(dataDir, { recursive: true, mode: 0o700 });
    await writeFile(path.join(dataDir, 'settings.json'), JSON.stringify({ warmPoolSize: 1 }));
    cliModel = await startScriptedModelServer((request, turn) =>
      String(request.model).includes('hang') ? callTools({ name: 'bash', arguments: { command: 'echo go; sleep 300' } }) : helloReport(request, turn),
    );
    serveModel = await startScriptedModelServer(helloReport);
    served = await startJettyServe(dir, { dataDir, env: { OPENAI_BASE_URL: serveModel.url, OPENAI_API_KEY: 'sk-serve', JETTY_MODEL: 'serve-model' } });
    cliEnv = { OPENAI_BASE_URL: cliModel.url, OPENAI_API_KEY: 'sk-cli', JETTY_MODEL: 'cli-model', JETTY_SANDBOX_IMAGE: TEST_BASE_IMAGE };
  });
  afterAll(async () => {
    await served?.stop();
    await cliModel?.close();
    await serveModel?.close();
    await removeTestContainers(await requireDocker());
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('publishes serve.json, readable by its owner only', async () => {
    const file = path.join(dataDir, 'serve.json');
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(JSON.parse(await readFile(file, 'utf8'))).toMatchObject({ pid: served.child.pid, origin: served.origin, token: served.token });
  });

  it("hands the run over: the CLI's model and environment, printed as a local run, then a warm sandbox adopted", async () => {
    const first = await jetty(['run', HELLO, '--param', 'name=Ada', '--json', '--data-dir', dataDir], cliEnv);
    expect(first.code, first.stderr).toBe(0);
    expect(first.stderr).toContain(`${THROUGH} at ${served.origin}`);
    const out = lines(first.stdout);
    expect(out[0]).toMatchObject({ type: 'trajectory' });
    const id = String(out[0].id);
    expect(out.filter((l) => typeof l.seq === 'number').every((l) => l.trajectory_id === id)).toBe(true);
    expect(resultOf(first.stdout)).toMatchObject({ exit_code: 0, trajectory: { id, status: 'completed' } });
    // Assembled from the CLI's environment: its endpoint and JETTY_MODEL, not the serve's.
    expect(cliModel.generations.map((g) => g.model)).toContain('cli-model');
    expect(serveModel.requests).toEqual([]);
    // The serve's store holds it, with the parameter the CLI gave.
    const shown = await jetty(['trajectory', 'show', id, '--json', '--data-dir', dataDir]);
    expect(JSON.parse(shown.stdout)).toMatchObject({ id, status: 'completed', init_params: { name: 'Ada' } });

    // The serve keeps a container of that image warm: the next run adopts it.
    const docker = await requireDocker();
    const parked = { label: [`jetty.owner_pid=${served.child.pid}`, 'jetty.pool'], status: ['running'] };
    await untilDocker(docker, { type: ['container'] }, async () => ((await docker.listContainers({ filters: parked })).length > 0 ? true : undefined), 'a warm container parked by the serve');
    const log = path.join(dir, 'imports.txt');
    const second = await jetty(['run', HELLO, '--param', 'name=Bo', '--json', '--data-dir', dataDir], { ...cliEnv, NODE_OPTIONS: `--import ${IMPORT_LOG}`, JETTY_IMPORT_LOG: log });
    expect(second.code, second.stderr).toBe(0);
    expect(second.stdout).toContain('"adopted":true');
    // The CLI loaded none of the engine: no Docker client, no store, no model SDK (the hook logs none: no file).
    const imported = (await readFile(log, 'utf8').catch(() => '')).split('\n');
    expect(imported.filter((name) => ['dockerode', 'better-sqlite3', 'openai', 'tar-stream'].includes(name))).toEqual([]);
  });

  it('gives a refusal as a local run does: exit 1, what is missing, how to pass a secret', async () => {
    const missing = await jetty(['run', SECRET_REPORT, '--data-dir', dataDir], cliEnv);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toMatch(/missing required parameter 'topic'/);
    expect(missing.stderr).toMatch(/missing required secret 'DEMO_TOKEN'/);
    expect(missing.stderr).toMatch(/--secret NAME/);
  });

  it('Ctrl-C cancels the run in the serve: exit 130, cancelled, its container removed', async () => {
    const run = spawnJsonLines(['run', HELLO, '--model', 'hang', '--json', '--data-dir', dataDir], cliEnv);
    await waitFor(() => run.lines.some((l) => l.type === 'command_output'), 'the command to start');
    const id = String(run.lines.find((l) => l.type === 'trajectory')?.id);
    expect(run.stderr()).toContain(THROUGH);
    run.child.kill('SIGINT');
    expect(await run.exited).toBe(130);
    expect(resultOf(run.lines.map((l) => JSON.stringify(l)).join('\n')).trajectory.status).toBe('cancelled');
    const docker = await requireDocker();
    await untilDocker(docker, { type: ['container'] }, async () => ((await runContainers(docker, id)).length === 0 ? true : undefined), "the cancelled run's container removed");
  });

  it('a CLI killed mid-run: the serve cancels its run and carries on', async () => {
    const run = spawnJsonLines(['run', HELLO, '--model', 'hang', '--json', '--data-dir', dataDir], cliEnv);
    await waitFor(() => run.lines.some((l) => l.type === 'command_output'), 'the command to start');
    const id = String(run.lines.find((l) => l.type === 'trajectory')?.id);
    run.child.kill('SIGKILL');
    await run.exited;
    const docker = await requireDocker();
    await untilDocker(docker, { type: ['container'] }, async () => ((await runContainers(docker, id)).length === 0 ? true : undefined), "the killed CLI's run's container removed");
    const shown = await jetty(['trajectory', 'show', id, '--json', '--data-dir', dataDir]);
    expect(JSON.parse(shown.stdout)).toMatchObject({ id, status: 'cancelled' });
    expect((await fetch(`${served.origin}/api/health`, { headers: { authorization: `Bearer ${served.token}` } })).status).toBe(200);
    expect(served.child.exitCode).toBeNull();
  });

  it('refuses a run handed over with the API token alone, or a wrong key', async () => {
    const body = JSON.stringify({ order: { runbookPath: HELLO }, env: {} });
    const post = (headers: Record<string, string>) => fetch(`${served.origin}/api/v1/cli-runs`, { method: 'POST', headers: { authorization: `Bearer ${served.token}`, 'content-type': 'application/json', ...headers }, body });
    const tokenOnly = await post({});
    expect(tokenOnly.status).toBe(403);
    expect(((await tokenOnly.json()) as { error: { message: string } }).error.message).toContain('x-jetty-cli-key');
    expect((await post({ 'x-jetty-cli-key': 'not-the-key' })).status).toBe(403);
  });

  it('leaves the run to the CLI for a serve of another Docker, and for a dead serve’s file', async () => {
    // DOCKER_CERT_PATH matters only with a TLS DOCKER_HOST: the same Docker, but not the same settings.
    const other = await jetty(['run', HELLO, '--data-dir', dataDir], { ...cliEnv, DOCKER_CERT_PATH: path.join(dir, 'certs') });
    expect(other.code, other.stderr).toBe(0);
    expect(other.stderr).toContain('did not take the run (this serve uses another Docker (DOCKER_CERT_PATH differs)');
    expect(other.stderr).not.toContain(THROUGH);

    const file = path.join(dataDir, 'serve.json');
    const published = await readFile(file, 'utf8');
    // A clean stop removes the file (the helper's stop would remove the data folder too: not used here).
    const exited = new Promise((resolve) => served.child.once('exit', resolve));
    served.child.kill('SIGTERM');
    expect(await exited).toBe(0);
    expect(existsSync(file)).toBe(false);
    // A serve killed with -9 leaves its file: its process is gone, so the CLI runs the run itself.
    const gone = spawn(process.execPath, ['-e', '']);
    await new Promise((resolve) => gone.on('exit', resolve));
    await writeFile(file, JSON.stringify({ ...JSON.parse(published), pid: gone.pid }), { mode: 0o600 });
    const alone = await jetty(['run', HELLO, '--data-dir', dataDir], cliEnv);
    expect(alone.code, alone.stderr).toBe(0);
    expect(alone.stderr).not.toContain(THROUGH);
  });
});
