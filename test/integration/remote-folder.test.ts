// A real runbook runs as authored locally and on a remote (a second real `jetty serve`, real
// Docker, the built-in agent against the scripted model server): its folder goes with the
// run and with a deploy, its file input is uploaded and seen in /app/assets, the remote run
// is the run the local plan describes (agent, model, image), a deployed task runs through the
// remote's own REST door, and a deploy made while the remote is down waits in the outbox and
// is delivered, its secret check then, once the remote is up.
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import tar from 'tar-stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CloudOutboxDelivery } from '../../shared/cloud';
import type { Trajectory } from '../../shared/trajectory';
import { createEngine, type Engine } from '../../electron/engine/api';
import { capabilitiesOf } from '../../electron/engine/cloud/capabilities';
import { deploy, deployLine } from '../../electron/engine/cloud/deploy';
import { createHttpClient } from '../../electron/engine/cloud/http-client';
import { snapshotFolder } from '../../electron/engine/cloud/outbox-files';
import { readOutgoingFolder } from '../../electron/engine/cloud/outgoing';
import { remoteApi } from '../../electron/engine/cloud/remote-api';
import { FOLDER_ARCHIVE_TYPE, MAX_FOLDER_ARCHIVE_BYTES } from '../../electron/engine/uploads/folder-archive';
import { runbookFolder } from '../../electron/engine/runbook/folder';
import { jetty, requireBuiltCli } from '../helpers/cli';
import { TEST_BASE_IMAGE, requireDocker } from '../helpers/docker';
import { FOLDER_FILES, FOLDER_RUNBOOK, HELLO_LINE, REFERENCE, folderRunbookScript, writeFolderRunbook } from '../helpers/folder-runbook';
import { freePort } from '../helpers/free-port';
import { startScriptedModelServer, type ScriptedModelServer } from '../helpers/scripted-model-server';
import { startJettyServe, type ServedJetty } from '../helpers/serve';

const NOTES = 'notes from the desk: three pelicans';
const SECRET = 'REPORT_TOKEN';
const SECRET_VALUE = 'report-8c1f0a77d2e94b3a';

let dir: string;
let model: ScriptedModelServer;
let remote: ServedJetty;
let engine: Engine;
let runbook: string;
let notesFile: string;

const remoteFetch = (server: ServedJetty, p: string, init: RequestInit = {}) =>
  fetch(`${server.origin}/api/v1${p}`, { ...init, headers: { authorization: `Bearer ${server.token}`, ...init.headers } });
const remoteGet = async (p: string, server = remote) => (await remoteFetch(server, p)).json() as Promise<Record<string, unknown>>;
const remoteTrajectory = (c: string, t: string, id: string) => remoteGet(`/db/trajectory/${c}/${t}/${id}`);

/** Everything a run's commands printed, as its trajectory recorded it. */
const printed = (t: Record<string, unknown>) => JSON.stringify((t.events as { type: string; payload: unknown }[]).filter((e) => e.type === 'tool_result').map((e) => e.payload));

beforeAll(async () => {
  await requireDocker();
  dir = await mkdtemp(path.join(os.tmpdir(), 'jetty-remote-folder-'));
  model = await startScriptedModelServer(folderRunbookScript);
  // The remote has no JETTY_SANDBOX_IMAGE: it runs in the image the local plan names, or builds the runbook's snapshot (and fails offline).
  remote = await startJettyServe(await mkdtemp(path.join(dir, 'served-')), {
    fromSource: true,
    timeoutMs: 60_000,
    env: { OPENAI_BASE_URL: model.url, OPENAI_API_KEY: 'model-key', JETTY_SANDBOX_IMAGE: '' },
  });
  runbook = await writeFolderRunbook(path.join(dir, 'runbooks'));
  notesFile = path.join(dir, 'notes.txt');
  await writeFile(notesFile, NOTES);
  engine = await createEngine({
    dataDir: path.join(dir, 'client'),
    folders: [path.join(dir, 'runbooks')],
    hostInputFiles: true,
    env: { HOME: path.join(dir, 'home'), JETTY_API_URL: remote.origin, OPENAI_BASE_URL: model.url, OPENAI_API_KEY: 'model-key', JETTY_SANDBOX_IMAGE: TEST_BASE_IMAGE },
  });
  await engine.api['cloud.signIn']({ token: remote.token });
}, 120_000);

afterAll(async () => {
  await engine?.close();
  await remote?.stop();
  await model?.close();
  if (dir) await rm(dir, { recursive: true, force: true });
});

describe('a runbook with its folder and a file input, locally and on a remote jetty serve', () => {
  let localId = '';

  it('runs locally: the script beside RUNBOOK.md runs from the working directory, the input file is in /app/assets', async () => {
    const { trajectoryId } = await engine.api['run.start']({ runbookPath: runbook, params: { notes: '/app/assets/notes.txt' }, files: [notesFile] });
    localId = trajectoryId;
    const t = await engine.services.runner.get(trajectoryId)!.done;
    expect(t.status, t.error ?? '').toBe('completed');
    const events = JSON.stringify(engine.services.store.listEvents(t.id, { limit: 1000 }).filter((e) => e.type === 'tool_result'));
    expect(events).toContain(`${HELLO_LINE}: /app`);
    expect(events).toContain(`drawn from: ${REFERENCE}; notes: ${NOTES}`);
  }, 180_000);

  it('runs remotely as the same run: the plan’s agent, model and image, the folder in the working directory, the file uploaded into /app/assets', async () => {
    const local = await engine.api['run.plan']({ runbookPath: runbook });
    const started = await engine.api['cloud.run']({ path: runbook, collection: 'acme', params: { notes: '/app/assets/notes.txt' }, files: [notesFile] });
    if (started.status !== 'delivered') throw new Error(`not delivered: ${started.reason}`);
    await engine.cloud.following();
    const remoteT = await remoteTrajectory('acme', 'folder-report', started.result.remoteId);
    // The remote run is the run the local plan describes, and the run the local run was.
    const ranLocally = engine.services.store.getTrajectory(localId)!;
    expect({ agent: remoteT.agent, model: remoteT.model }).toEqual({ agent: local.agent.value, model: local.model.value });
    expect({ agent: remoteT.agent, model: remoteT.model }).toEqual({ agent: ranLocally.agent, model: ranLocally.model });
    expect(remoteT.status, String(remoteT.error)).toBe('completed');
    expect((remoteT.steps as Trajectory['steps']).sandbox.inputs).toMatchObject({ image: TEST_BASE_IMAGE });
    expect((remoteT.steps as Trajectory['steps']).sandbox.outputs).toMatchObject({ folder: { files: FOLDER_FILES.length } });
    expect(printed(remoteT)).toContain(`${HELLO_LINE}: /app`);
    expect(printed(remoteT)).toContain(`drawn from: ${REFERENCE}; notes: ${NOTES}`);
    expect(remoteT.init_params).toMatchObject({ notes: '/app/assets/notes.txt' });

    // The plan said so before: what it showed is what ran.
    const plan = await engine.api['cloud.runPlan']({ path: runbook, collection: 'acme', params: { notes: '/app/assets/notes.txt' }, files: [notesFile] });
    expect(plan).toMatchObject({
      agent: { value: local.agent.value },
      model: { value: local.model.value },
      image: { value: TEST_BASE_IMAGE, source: 'JETTY_SANDBOX_IMAGE' },
      files: ['notes.txt'],
      folder: { files: FOLDER_FILES.length, sent: true },
      remote: { baseUrl: remote.origin, capabilities: 'advertised' },
      warnings: [],
      problems: [],
    });
  }, 240_000);

  it('refuses before anything is sent: a required file not given, an agent the remote does not offer', async () => {
    const before = ((await remoteGet('/db/trajectories/acme/folder-report?limit=50')) as { total: number }).total;
    await expect(engine.api['cloud.run']({ path: runbook, collection: 'acme', params: {} })).rejects.toThrow(/parameter Notes \(notes\) needs a file, and none was given/);
    await expect(engine.api['cloud.run']({ path: runbook, collection: 'acme', params: { notes: '/app/assets/other.txt' }, files: [notesFile] })).rejects.toThrow(
      /names \/app\/assets\/other\.txt, but no file other\.txt goes with the run/,
    );
    const plan = await engine.api['cloud.runPlan']({ path: runbook, collection: 'acme', params: { notes: '/app/assets/notes.txt' }, files: [notesFile], agent: 'opencode' });
    expect(plan.agent.value).toBeNull();
    expect(plan.problems).toEqual([expect.stringMatching(new RegExp(`agent opencode \\(the run panel\\) is not offered by ${remote.origin}, which offers builtin, claude-code, codex, gemini-cli`))]);
    await expect(engine.api['cloud.run']({ path: runbook, collection: 'acme', params: { notes: '/app/assets/notes.txt' }, files: [notesFile], agent: 'opencode' })).rejects.toThrow(/is not offered by/);
    expect(((await remoteGet('/db/trajectories/acme/folder-report?limit=50')) as { total: number }).total).toBe(before);
    expect(engine.cloud.outbox()).toEqual([]);
  });

  it('the remote refuses an agent it does not offer, never runs another in its place', async () => {
    const res = await fetch(`${remote.origin}/v1/chat/completions`, {
      method: 'POST',
      headers: { authorization: `Bearer ${remote.token}`, 'content-type': 'application/json' },
      body: JSON.stringify({
        model: 'scripted-model',
        messages: [
          { role: 'system', content: await readFile(runbook, 'utf8') },
          { role: 'user', content: 'Execute the runbook with parameters: notes=/app/assets/notes.txt' },
        ],
        jetty: { runbook: true, collection: 'acme', task: 'folder-report', agent: 'opencode' },
      }),
    });
    expect(res.status).toBe(422);
    expect(((await res.json()) as { error: { message: string } }).error.message).toBe("jetty.agent: 'opencode' is not offered here (this Jetty offers builtin, claude-code, codex, gemini-cli)");
  });
});

describe('deploy carries the folder, and the remote runs the deployed task through its own REST door', () => {
  it('deploys the whole folder under the nested collection’s whole path', async () => {
    const deployed = await engine.api['cloud.deploy']({ path: runbook, collection: 'acme/reports' });
    if (deployed.status !== 'delivered') throw new Error(`not delivered: ${deployed.reason}`);
    expect(deployed.result).toMatchObject({ collection: 'acme__reports', task: 'folder-report', taskCreated: true, folder: { files: FOLDER_FILES.length, sent: true, leftOut: [] } });
    const listed = (await remoteGet('/tasks/acme__reports/folder-report/folder')) as { files: { path: string; size: number; mode: string }[] };
    const local = await runbookFolder(runbook);
    expect(listed.files.map((f) => [f.path, f.size])).toEqual(local.files.map((f) => [f.path, f.size]));
    expect(listed.files.find((f) => f.path === 'hello.sh')?.mode).toBe('755');
    expect(await remoteGet('/tasks/acme__reports/folder-report')).toMatchObject({ workflow: { runbook: 'RUNBOOK.md' }, source: 'local' });
  });

  it('POST /api/v1/run-sync/{c}/{t} runs the deployed task: its folder in the working directory, the uploaded file in /app/assets', async () => {
    const form = new FormData();
    form.append('init_params', JSON.stringify({ notes: '/app/assets/notes.txt' }));
    form.append('image', TEST_BASE_IMAGE);
    form.append('files', new Blob([NOTES]), 'notes.txt');
    const res = await remoteFetch(remote, '/run-sync/acme__reports/folder-report', { method: 'POST', body: form });
    const answer = (await res.json()) as { status: string; error: string | null; trajectory_id: string };
    expect(res.status, JSON.stringify(answer)).toBe(200);
    expect(answer.status, answer.error ?? '').toBe('completed');
    const t = await remoteTrajectory('acme__reports', 'folder-report', answer.trajectory_id);
    expect(printed(t)).toContain(`${HELLO_LINE}: /app`);
    expect(printed(t)).toContain(`drawn from: ${REFERENCE}; notes: ${NOTES}`);
  }, 180_000);

  it('to a remote that takes no folder (as Jetty cloud documents its API): RUNBOOK.md goes alone, in the task, and the deploy names every file left out', async () => {
    const api = remoteApi(createHttpClient({ baseUrl: remote.origin, token: () => remote.token }));
    const text = await readFile(runbook, 'utf8');
    const folder = await readOutgoingFolder(runbook, text);
    const snapshot = await snapshotFolder(path.join(dir, 'client'), 'cloud-like', folder);
    const source = { kind: 'runbook' as const, file: runbook, text, secrets: [], defaultTask: 'folder-report' };
    const result = await deploy(api, { source, collection: 'cloudlike', task: 'folder-report', files: [], folder: snapshot, capabilities: capabilitiesOf({}), secretValues: {}, idempotencyKey: 'cloud-like-1' });
    expect(result.folder).toEqual({
      files: FOLDER_FILES.length,
      bytes: folder.bytes,
      sent: false,
      leftOut: FOLDER_FILES.filter((f) => f !== 'RUNBOOK.md'),
      note: `${remote.origin} takes a runbook task as RUNBOOK.md alone (its API has no way to take a folder): ${FOLDER_FILES.length - 1} file(s) beside it stay behind`,
    });
    expect(deployLine(result)).toBe(`deployed cloudlike/folder-report (task created, collection created, RUNBOOK.md only: 4 file(s) of its folder left out (gen.py, hello.sh, manifest.json, refs/pelican.txt))`);
    expect(await remoteGet('/tasks/cloudlike/folder-report')).toMatchObject({ workflow: { runbook: 'RUNBOOK.md', runbook_text: text } });
    // A task deployed without its folder says so when run, rather than running something else.
    const form = new FormData();
    form.append('init_params', JSON.stringify({ notes: '/app/assets/notes.txt' }));
    const res = await remoteFetch(remote, '/run/cloudlike/folder-report', { method: 'POST', body: form });
    expect(res.status).toBe(422);
    expect(((await res.json()) as { error: { message: string } }).error.message).toBe(
      "task 'folder-report' has no RUNBOOK.md in its deployed folder: deploy it again with its folder (jetty deploy, or the Cloud view's Deploy)",
    );
  });

  it('PUT /tasks/{c}/{t}/folder takes only a plain folder: names out of it, links, a folder without its runbook, other media types, too much and unknown names are refused, nothing written', async () => {
    const put = (c: string, t: string, body: Buffer, type = FOLDER_ARCHIVE_TYPE) => remoteFetch(remote, `/tasks/${c}/${t}/folder`, { method: 'PUT', headers: { 'content-type': type }, body: new Uint8Array(body) });
    const refusal = async (res: Response) => ({ status: res.status, message: ((await res.json()) as { error: { message: string } }).error.message });
    const tarOf = async (entries: { name: string; body?: string; type?: 'symlink'; linkname?: string }[]) => {
      const pack = tar.pack();
      for (const e of entries) {
        if (e.body === undefined) pack.entry({ name: e.name, type: e.type, linkname: e.linkname });
        else pack.entry({ name: e.name }, e.body);
      }
      pack.finalize();
      const chunks: Buffer[] = [];
      for await (const chunk of pack as AsyncIterable<Buffer>) chunks.push(chunk);
      return Buffer.concat(chunks);
    };
    const runbookEntry = { name: 'RUNBOOK.md', body: FOLDER_RUNBOOK };
    await remoteFetch(remote, '/collections/', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ name: 'hostile' }) });
    expect(await refusal(await put('hostile', 'evil', await tarOf([runbookEntry, { name: '../../../escaped.txt', body: 'out' }])))).toEqual({
      status: 422,
      message: `the folder's archive holds a name with an empty, "." or ".." segment: "../../../escaped.txt"`,
    });
    expect(await refusal(await put('hostile', 'evil', await tarOf([runbookEntry, { name: 'leak', type: 'symlink', linkname: '/etc/passwd' }])))).toEqual({
      status: 422,
      message: "the folder's archive holds leak, a symlink: only files and folders are taken",
    });
    expect(await refusal(await put('hostile', 'evil', await tarOf([{ name: 'gen.py', body: 'print(1)' }])))).toEqual({ status: 422, message: "the folder holds no RUNBOOK.md at its top: send the runbook's whole folder" });
    expect((await put('hostile', 'evil', await tarOf([runbookEntry]), 'application/json')).status).toBe(415);
    expect((await put('nowhere', 'evil', await tarOf([runbookEntry]))).status).toBe(404);
    expect((await put('hostile', 'a..b', await tarOf([runbookEntry]))).status).toBe(422);
    const declared = await new Promise<number>((resolve, reject) => {
      const req = http.request(`${remote.origin}/api/v1/tasks/hostile/evil/folder`, { method: 'PUT', headers: { authorization: `Bearer ${remote.token}`, 'content-type': FOLDER_ARCHIVE_TYPE, 'content-length': String(MAX_FOLDER_ARCHIVE_BYTES + 1) } });
      req.on('response', (res) => (res.resume(), resolve(res.statusCode ?? 0)));
      req.on('error', reject);
      req.flushHeaders();
    });
    expect(declared).toBe(413);
    expect(existsSync(path.join(remote.dataDir, 'deployed', 'hostile', 'evil'))).toBe(false);
    expect((await readdirOr(remote.dataDir)).filter((n) => n.includes('escaped'))).toEqual([]);
    expect((await readdirOr(path.join(remote.dataDir, 'files', '.incoming'))).length).toBe(0);
  });

  it('a redeploy replaces the folder: a file removed here is gone there; deleting the task removes its folder', async () => {
    const other = await writeFolderRunbook(path.join(dir, 'runbooks'), 'redeploy', 'folder-report');
    await rm(path.join(path.dirname(other), 'refs'), { recursive: true });
    const again = await engine.api['cloud.deploy']({ path: other, collection: 'acme/reports' });
    expect(again).toMatchObject({ status: 'delivered', result: { taskCreated: false, folder: { files: FOLDER_FILES.length - 1 } } });
    const listed = (await remoteGet('/tasks/acme__reports/folder-report/folder')) as { files: { path: string }[] };
    expect(listed.files.map((f) => f.path)).toEqual(FOLDER_FILES.filter((f) => f !== 'refs/pelican.txt'));
    expect((await remoteFetch(remote, '/tasks/acme__reports/folder-report', { method: 'DELETE' })).status).toBe(200);
    expect((await remoteFetch(remote, '/tasks/acme__reports/folder-report/folder')).status).toBe(404);
  });
});

describe('an offline deploy waits in the outbox and is delivered once the remote is up', () => {
  let offline: Engine;
  let later: ServedJetty | null = null;
  afterAll(async () => {
    await offline?.close();
    await later?.stop();
  });

  it('queues with the secret check deferred to delivery: one without the secret fails there saying so, one with it is delivered, the folder with it', async () => {
    const port = await freePort();
    const token = `mlc_${'t'.repeat(32)}`;
    const withSecret = await writeFolderRunbook(path.join(dir, 'secret-runbooks'), 'acme', 'secret-report');
    await writeFile(withSecret, (await readFile(withSecret, 'utf8')).replace('model: scripted-model\n', `model: scripted-model\nsecrets:\n  ${SECRET}:\n    env: ${SECRET}\n    description: report token\n    required: true\n`));
    offline = await createEngine({ dataDir: path.join(dir, 'offline-client'), folders: [path.join(dir, 'secret-runbooks')], hostInputFiles: true, env: { HOME: path.join(dir, 'offline-home'), JETTY_API_URL: `http://127.0.0.1:${port}`, JETTY_CLOUD_TOKEN: token } });
    await offline.api['secrets.set']({ name: SECRET, value: SECRET_VALUE });
    const outcomes: CloudOutboxDelivery[] = [];
    const emptied = new Promise<void>((resolve) =>
      offline.bus.subscribe('cloud.outbox.changed', ({ items, delivered }) => {
        outcomes.splice(0, outcomes.length, ...delivered);
        if (delivered.length > 0 && !items.some((i) => i.state === 'pending')) resolve();
      }),
    );

    // Without setSecrets, then with: both wait (the remote is down), nothing is refused now.
    const bare = await offline.api['cloud.deploy']({ path: withSecret, collection: 'acme', task: 'bare' });
    const set = await offline.api['cloud.deploy']({ path: withSecret, collection: 'acme', setSecrets: [SECRET] });
    // A run queued offline whose agent the remote turns out not to offer: refused at delivery, saying so, never run with another.
    const run = await offline.api['cloud.run']({ path: withSecret, collection: 'acme', params: { notes: '/app/assets/notes.txt' }, files: [notesFile], agent: 'opencode' });
    expect([bare.status, set.status, run.status]).toEqual(['queued', 'queued', 'queued']);
    const waiting = await offline.api['cloud.outbox']({});
    expect(waiting.map((i) => [i.summary, i.state])).toEqual([
      ['deploy acme/bare', 'pending'],
      ['deploy acme/secret-report', 'pending'],
      ['run acme/secret-report', 'pending'],
    ]);
    expect(waiting[0].last_error).toMatch(/did not answer/);

    // The remote comes up where the client was pointed; the outbox delivers on its own (its retry), in order.
    later = await startJettyServe(await mkdtemp(path.join(dir, 'later-')), { fromSource: true, timeoutMs: 60_000, port, token });
    await Promise.race([emptied, new Promise((_, reject) => setTimeout(() => reject(new Error(`not delivered: ${JSON.stringify(offline.cloud.outbox())}`)), 120_000))]);

    const [failed, refused] = await offline.api['cloud.outbox']({});
    expect(failed).toMatchObject({ summary: 'deploy acme/bare', state: 'failed', last_error: expect.stringContaining(`collection 'acme' lacks the secrets ${SECRET}`) });
    expect(refused).toMatchObject({ summary: 'run acme/secret-report', state: 'failed', last_error: `agent opencode is not offered by ${later.origin}, which offers builtin, claude-code, codex, gemini-cli: run it again naming one of those` });
    expect(((await remoteGet('/db/trajectories/acme/secret-report?limit=5', later)) as { total: number }).total).toBe(0);
    expect(outcomes.map((o) => o.outcome)).toEqual([`deployed acme/secret-report (task created, collection created, secrets set: ${SECRET}, folder: ${FOLDER_FILES.length} files)`]);
    expect(await offline.api['cloud.outbox.delivered']({})).toEqual(outcomes);
    expect(await remoteGet('/collections/acme/environment', later)).toHaveProperty(SECRET);
    const listed = (await remoteGet('/tasks/acme/secret-report/folder', later)) as { files: { path: string }[] };
    expect(listed.files.map((f) => f.path)).toEqual(FOLDER_FILES);
    // What each waiting item kept of the folder is gone with it once delivered; the failed ones keep theirs (for Retry).
    expect(await readdirOr(path.join(dir, 'offline-client', 'outbox-files'))).toHaveLength(2);
  }, 240_000);
});

describe('jetty run --remote', () => {
  it('prints the plan first, then runs the runbook’s own agent and model on the remote, its file bound with --file NAME=PATH', async () => {
    requireBuiltCli();
    const ran = await jetty(['run', '--remote', runbook, '--collection', 'acme', '--file', `notes=${notesFile}`, '--data-dir', path.join(dir, 'cli-data')], {
      HOME: path.join(dir, 'cli-home'),
      JETTY_API_URL: remote.origin,
      JETTY_CLOUD_TOKEN: remote.token,
      JETTY_SANDBOX_IMAGE: TEST_BASE_IMAGE,
    });
    expect(ran.stderr).toBe('');
    expect(ran.code).toBe(0);
    const lines = ran.stdout.split('\n');
    expect(lines[0]).toBe(`Remote run on ${remote.origin}: agent builtin (runbook), model scripted-model (runbook), image ${TEST_BASE_IMAGE} (JETTY_SANDBOX_IMAGE; the runbook names snapshot python312-uv)`);
    expect(lines[1]).toMatch(new RegExp(`^  folder: ${FOLDER_FILES.length} file\\(s\\), .*, goes with the run$`));
    expect(lines[2]).toBe('  file: notes.txt → /app/assets/notes.txt');
    const remoteId = /^Trajectory [0-9a-f]{8} \(remote ([0-9a-f]{8})\)$/m.exec(ran.stdout)![1];
    const t = await remoteTrajectory('acme', 'folder-report', remoteId);
    expect({ agent: t.agent, model: t.model, status: t.status }).toEqual({ agent: 'builtin', model: 'scripted-model', status: 'completed' });
    expect(printed(t)).toContain(`drawn from: ${REFERENCE}; notes: ${NOTES}`);
  }, 240_000);
});

async function readdirOr(folder: string): Promise<string[]> {
  const { readdir } = await import('node:fs/promises');
  return readdir(folder).catch(() => []);
}
