import { cp, mkdtemp, readdir, readFile, realpath, rm, symlink, writeFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { importCommand } from '../../electron/cli/commands/trajectories';
import { createEngine, type Engine } from '../../electron/engine/api';
import { createLocalServer, type LocalServer } from '../../electron/engine/server/local-server';
import { openStore } from '../../electron/engine/store';

// Issue 10, defects 2 and 3: names that leave their folder, and runbooks read from anywhere.
// A real engine behind the real local server, called over HTTP and the WebSocket.

const TOKEN = 'path-escapes-token';
const FIXTURES = path.resolve('test/fixtures');
const CLEAN_RUNBOOK = path.join(FIXTURES, 'runbooks/clean/RUNBOOK.md'); // lint-clean; needs a city and a secret
const BROKEN_RUNBOOK = path.join(FIXTURES, 'workspace/runbooks/reports/broken-frontmatter/RUNBOOK.md');

let tmp: string;
let ws: string;
let dataDir: string;
let engine: Engine;
let server: LocalServer;
let socket: WebSocket;
let runbookHost: http.Server;
let runbookHostUrl: string;
const runbookHostHits: string[] = [];

beforeAll(async () => {
  tmp = await realpath(await mkdtemp(path.join(os.tmpdir(), 'jetty-escapes-')));
  ws = path.join(tmp, 'ws');
  dataDir = path.join(tmp, 'data');
  await cp(path.join(FIXTURES, 'workspace'), ws, { recursive: true });
  await writeFile(path.join(tmp, 'outside.md'), 'TOP SECRET\n');
  engine = await createEngine({ dataDir, folders: [ws] });
  server = await createLocalServer({ engine, token: TOKEN, staticDir: null, routes: engine.routes });
  socket = new WebSocket(`ws://127.0.0.1:${server.port}/api/ws?token=${TOKEN}`);
  await new Promise((resolve, reject) => socket.once('open', resolve).once('error', reject));

  const broken = await readFile(BROKEN_RUNBOOK);
  runbookHost = http.createServer((req, res) => {
    runbookHostHits.push(req.url ?? '');
    res.end(broken);
  });
  await new Promise<void>((resolve) => runbookHost.listen(0, '127.0.0.1', resolve));
  runbookHostUrl = `http://127.0.0.1:${(runbookHost.address() as AddressInfo).port}`;
});

afterAll(async () => {
  socket?.close();
  if (runbookHost) {
    runbookHost.closeAllConnections();
    await new Promise((resolve) => runbookHost.close(resolve));
  }
  await server?.close();
  await engine?.close();
  if (tmp) await rm(tmp, { recursive: true, force: true });
});

let nextId = 0;
/** One contract call over the WebSocket: its value, or its error. */
function call(method: string, input: unknown): Promise<{ ok: boolean; value?: unknown; error?: { code: string; message: string } }> {
  const id = ++nextId;
  return new Promise((resolve) => {
    const onMessage = (data: WebSocket.RawData) => {
      const reply = JSON.parse(data.toString()) as { id: number; ok: boolean };
      if (reply.id !== id) return;
      socket.off('message', onMessage);
      resolve(reply);
    };
    socket.on('message', onMessage);
    socket.send(JSON.stringify({ id, method, input }));
  });
}

async function api(method: string, route: string, body?: unknown, headers: Record<string, string> = { 'content-type': 'application/json' }) {
  const res = await fetch(`${server.origin}${route}`, {
    method,
    headers: { authorization: `Bearer ${TOKEN}`, ...headers },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return { status: res.status, json: (await res.json()) as { error?: { message: string } } };
}

/** A runbook-mode chat request; the answer's status and error message. */
async function chat(jetty: Record<string, unknown>, system?: string) {
  const messages = [...(system === undefined ? [] : [{ role: 'system', content: system }]), { role: 'user', content: 'Execute the runbook' }];
  const { status, json } = await api('POST', '/v1/chat/completions', { model: 'scripted', messages, jetty: { runbook: true, agent: 'builtin', ...jetty } });
  return { status, message: json.error?.message ?? '' };
}

const chatRunbooks = () => readdir(path.join(dataDir, 'chat-runbooks')).catch(() => []);

describe('chat runbook mode writes only inside the chat runbooks (defect 2)', () => {
  it('refuses a collection or task that leaves the data folder, and writes nothing there', async () => {
    const text = await readFile(CLEAN_RUNBOOK, 'utf8');
    const opened = path.join(ws, 'runbooks/ops/rotate-logs/RUNBOOK.md');
    const before = await readFile(opened, 'utf8');
    const attempts = [
      { jetty: { collection: '../../escaped', task: 'x' }, lands: path.join(tmp, 'escaped/x/RUNBOOK.md'), field: 'jetty.collection' },
      { jetty: { collection: 'demo', task: '../../../escaped-task' }, lands: path.join(tmp, 'escaped-task/RUNBOOK.md'), field: 'jetty.task' },
      // An opened folder's runbook: around both the REST read-only rule and the save check.
      { jetty: { collection: '../../ws/runbooks/ops', task: 'rotate-logs' }, lands: opened, field: 'jetty.collection' },
    ];
    for (const { jetty, lands, field } of attempts) {
      const answer = await chat(jetty, text);
      if (lands === opened) expect(await readFile(opened, 'utf8')).toBe(before);
      else expect(existsSync(lands), lands).toBe(false);
      expect(answer, JSON.stringify(jetty)).toMatchObject({ status: 422, message: expect.stringContaining(`${field}: use letters`) });
    }
    expect(await chatRunbooks()).toEqual([]);
  });

  it('lints before writing: a runbook with errors, or a run that cannot start, leaves nothing on disk', async () => {
    const broken = await chat({ collection: 'demo', task: 'broken' }, await readFile(BROKEN_RUNBOOK, 'utf8'));
    expect(await chatRunbooks()).toEqual([]);
    expect(broken).toMatchObject({ status: 422, message: expect.stringMatching(/the runbook in the system message has \d+ lint error\(s\)[\s\S]*RB001/) });
    const unstartable = await chat({ collection: 'demo', task: 'weather' }, await readFile(CLEAN_RUNBOOK, 'utf8'));
    expect(unstartable).toMatchObject({ status: 422, message: expect.stringContaining("missing required parameter 'city'") });
    expect(await chatRunbooks()).toEqual([]);
  });

  it('REST routes and contract methods refuse the same names', async () => {
    expect(await api('GET', '/api/v1/tasks/..%2F..%2Fx')).toMatchObject({ status: 422, json: { error: { message: expect.stringContaining('collection: use letters') } } });
    expect(await api('GET', '/api/v1/tasks/reports/..%2F..%2Fx')).toMatchObject({ status: 422, json: { error: { message: expect.stringContaining('task: use letters') } } });
    expect(await api('POST', '/api/v1/collections', { name: '../x' })).toMatchObject({ status: 422 });
    const created = await call('runbook.create', { folder: ws, collection: 'reports', name: 'a..b', template: 'rubric' });
    expect(created).toMatchObject({ ok: false, error: { code: 'invalid_input', message: expect.stringContaining('name: use letters') } });
  });

  it('import refuses a trajectory filed under a name that is not a collection or task name', async () => {
    const doc = (collection: string, task: string) => ({ ...engine.services.store.exportTrajectory(engine.services.store.createTrajectory({ collection: 'demo', task: 'ok', kind: 'runbook' }).id), id: 'abcdef01', collection, task });
    const viaSocket = await call('trajectory.import', { document: doc('../../x', 'y') });
    expect(viaSocket).toMatchObject({ ok: false, error: { code: 'invalid_input', message: expect.stringContaining('collection: use letters') } });
    expect(engine.services.store.listTrajectories({ collection: '../../x' }).total).toBe(0);

    const file = path.join(tmp, 'export.json');
    await writeFile(file, JSON.stringify(doc('demo', '../../y')));
    const cliData = path.join(tmp, 'cli-data');
    const stderr: string[] = [];
    const write = process.stderr.write;
    process.stderr.write = ((chunk: string) => stderr.push(chunk) > 0) as typeof process.stderr.write;
    const code = await importCommand.run([file, '--data-dir', cliData]).finally(() => (process.stderr.write = write));
    expect(code).toBe(1);
    expect(stderr.join('')).toContain('task: use letters');
    const store = openStore(path.join(cliData, 'jetty.db'));
    expect(store.listTrajectories({}).total).toBe(0);
    store.close();
  });
});

describe('runbooks are read by path only inside the open folders and the chat runbooks (defect 3)', () => {
  it('runbook.read, runbook.lint and run.start refuse any file outside, the same way whether it exists or not', async () => {
    const refusals = [];
    for (const file of ['/etc/passwd', path.join(tmp, 'outside.md'), path.join(tmp, 'missing.md'), `${ws}/../outside.md`]) {
      for (const [method, input] of [['runbook.read', { path: file }], ['runbook.lint', { path: file }], ['run.start', { runbookPath: file }]] as const) {
        const reply = await call(method, input);
        expect(reply.ok, `${method} ${file}`).toBe(false);
        expect(JSON.stringify(reply)).not.toMatch(/TOP SECRET|root:/);
        refusals.push(`${reply.error?.code} ${reply.error?.message.replace(file, '<path>')}`);
      }
    }
    expect(new Set(refusals)).toEqual(new Set(["invalid_input refusing to read a runbook outside the open folders, Jetty's chat runbooks and its deployed tasks: <path>"]));
  });

  it('follows symlinks only as far as they stay inside, and still reads the open folders', async () => {
    await symlink(path.join(tmp, 'outside.md'), path.join(ws, 'runbooks/ops/leak.md'));
    expect(await call('runbook.read', { path: path.join(ws, 'runbooks/ops/leak.md') })).toMatchObject({ ok: false, error: { code: 'invalid_input' } });
    const inside = path.join(ws, 'runbooks/ops/rotate-logs/RUNBOOK.md');
    expect(await call('runbook.read', { path: inside })).toMatchObject({ ok: true, value: { path: inside, text: await readFile(inside, 'utf8') } });
    expect(await call('runbook.lint', { path: inside })).toMatchObject({ ok: true });
  });

  it('jetty.runbook_url: local paths only inside the open folders, no file: URLs, no existence oracle', async () => {
    const outside = [];
    for (const file of ['/etc/passwd', '/no/such/RUNBOOK.md']) {
      const answer = await chat({ collection: 'demo', runbook_url: file });
      expect(answer.status).toBe(422);
      outside.push(answer.message.replace(file, '<path>'));
    }
    expect(new Set(outside)).toEqual(new Set(["refusing to read a runbook outside the open folders, Jetty's chat runbooks and its deployed tasks: <path>"]));
    expect(await chat({ collection: 'demo', runbook_url: 'file:///etc/passwd' })).toMatchObject({ status: 422, message: expect.stringContaining('file: URLs are refused') });
    expect(await chat({ collection: 'demo', runbook_url: 'RUNBOOK.md' })).toMatchObject({ status: 422 });
  });

  it('jetty.runbook_url: a URL is fetched only from an allowed host, and linted before anything is written', async () => {
    const url = `${runbookHostUrl}/reports/broken/RUNBOOK.md`;
    expect(await chat({ collection: 'demo', runbook_url: url })).toMatchObject({ status: 422, message: expect.stringContaining('127.0.0.1 is not an allowed runbook host') });
    expect(runbookHostHits).toEqual([]);

    expect(await call('settings.update', { runbookUrlHosts: ['127.0.0.1'] })).toMatchObject({ ok: true, value: { runbookUrlHosts: ['127.0.0.1'] } });
    const fetched = await chat({ collection: 'demo', runbook_url: url });
    expect(fetched).toMatchObject({ status: 422, message: expect.stringMatching(/has \d+ lint error\(s\)[\s\S]*RB001/) });
    expect(fetched.message).toContain(url);
    expect(runbookHostHits).toEqual(['/reports/broken/RUNBOOK.md']);
    expect(await chatRunbooks()).toEqual([]);
  });

  it('a REST-registered task runs only a runbook inside the open folders', async () => {
    expect((await api('POST', '/api/v1/collections', { name: 'acme' })).status).toBe(201);
    expect((await api('POST', '/api/v1/tasks/acme', { name: 'passwd', workflow: { runbook: '/etc/passwd' } })).status).toBe(201);
    const run = await api('POST', '/api/v1/run/acme/passwd', undefined, {});
    expect(run).toMatchObject({ status: 422, json: { error: { message: expect.stringContaining("task 'passwd': refusing to read a runbook outside") } } });
    expect(await chat({ collection: 'acme', task: 'passwd' })).toMatchObject({ status: 422, message: expect.stringContaining('refusing to read a runbook outside') });
  });
});
