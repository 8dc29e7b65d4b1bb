import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { dispatch } from '../../shared/rpc';
import { UPLOADS_PATH } from '../../shared/uploads';
import { createEngine, type Engine } from '../../electron/engine/api';
import { createLocalServer, type LocalServer } from '../../electron/engine/server/local-server';
import { REPO } from '../helpers/cli';
import { json } from '../helpers/fake-remote';
import { startHostileServer, type HostileServer } from '../helpers/hostile-http';

const TOKEN = 'doors-test-local-token';
const HOST_SECRET = 'private host data 7d1c';

/** A remote that accepts every deploy step and records what was uploaded to it. */
async function acceptingRemote(uploads: string[]): Promise<HostileServer> {
  return startHostileServer(async (req, res) => {
    const url = req.url ?? '';
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    if (url.startsWith('/api/v1/files/upload')) {
      uploads.push(Buffer.concat(chunks).toString('latin1'));
      return json(res, 200, { path: 'uploaded/file' });
    }
    if (req.method === 'GET' && /^\/api\/v1\/(collections\/demo|tasks\/demo\/)/.test(url)) return json(res, 404, { detail: 'not found' });
    if (url.startsWith('/api/v1/trial/')) return json(res, 404, { detail: 'no trial' });
    json(res, 200, url.startsWith('/api/v1/collections/') && req.method === 'GET' ? [] : {});
  });
}

describe('what a browser client may do with the cloud, against what the desktop window may', () => {
  let tmp: string;
  let runbook: string;
  let hostFile: string;
  let remote: HostileServer;
  let other: HostileServer;
  const uploaded: string[] = [];
  const codes: { baseUrl: string; code: string }[] = [];
  let engine: Engine;
  let server: LocalServer;
  let socket: WebSocket;

  beforeAll(async () => {
    tmp = await mkdtemp(path.join(os.tmpdir(), 'jetty-cloud-doors-'));
    runbook = path.join(tmp, 'runbooks/demo/hello-report/RUNBOOK.md');
    await mkdir(path.dirname(runbook), { recursive: true });
    await writeFile(runbook, await readFile(path.join(REPO, 'resources/examples/demo/hello-report/RUNBOOK.md')));
    hostFile = path.join(tmp, 'outside', 'notes.txt');
    await mkdir(path.dirname(hostFile), { recursive: true });
    await writeFile(hostFile, HOST_SECRET);
    // Signed in to the remote (the token file, as `jetty login` writes it).
    await mkdir(path.join(tmp, 'home/.config/jetty'), { recursive: true });
    await writeFile(path.join(tmp, 'home/.config/jetty/token'), 'mlc_doors_test_remote_token', { mode: 0o600 });
    remote = await acceptingRemote(uploaded);
    other = await acceptingRemote([]);
    // The desktop app's engine (host paths allowed for its window) with its local API, as background-api.ts serves it.
    engine = await createEngine({
      dataDir: path.join(tmp, 'data'),
      folders: [path.join(tmp, 'runbooks')],
      env: { HOME: path.join(tmp, 'home'), JETTY_API_URL: remote.url },
      hostInputFiles: true,
      remoteCodes: { where: 'the test’s terminal', show: (notice) => codes.push(notice) },
    });
    server = await createLocalServer({ engine, token: TOKEN, staticDir: null, routes: engine.routes });
    socket = new WebSocket(`ws://127.0.0.1:${server.port}/api/ws?token=${TOKEN}`);
    await new Promise((resolve, reject) => socket.once('open', resolve).once('error', reject));
  });
  afterAll(async () => {
    socket?.close();
    await server?.close();
    await engine?.close();
    await remote?.close();
    await other?.close();
    if (tmp) await rm(tmp, { recursive: true, force: true });
  });

  let nextId = 0;
  /** One contract call over the WebSocket: its value, or its error. */
  const call = (method: string, input: unknown) =>
    new Promise<{ ok: boolean; value?: Record<string, unknown>; error?: { code: string; message: string } }>((resolve) => {
      const id = ++nextId;
      const onMessage = (data: WebSocket.RawData) => {
        const reply = JSON.parse(data.toString()) as { id: number; ok: boolean };
        if (reply.id !== id) return;
        socket.off('message', onMessage);
        resolve(reply);
      };
      socket.on('message', onMessage);
      socket.send(JSON.stringify({ id, method, input }));
    });

  it('over the WebSocket, cloud.deploy, cloud.run and cloud.audit refuse host paths, and nothing reaches the remote', async () => {
    for (const [method, input] of [
      ['cloud.deploy', { path: runbook, collection: 'demo', files: [hostFile] }],
      ['cloud.run', { path: runbook, collection: 'demo', files: [hostFile], agent: 'builtin' }],
      ['cloud.audit', { path: runbook, files: [hostFile] }],
    ] as const) {
      const answer = await call(method, input);
      expect(answer.ok, method).toBe(false);
      expect(answer.error?.message, method).toMatch(/accepted only from the desktop app; upload the file/);
    }
    expect(uploaded).toEqual([]);
    expect(remote.requests.filter((r) => r.path.startsWith('/api/v1/run') || r.path.startsWith('/v1/'))).toEqual([]);
  });

  it('over the WebSocket, a file the client uploaded is sent by its upload id', async () => {
    const res = await fetch(`${server.origin}${UPLOADS_PATH}?name=data.txt`, { method: 'POST', headers: { authorization: `Bearer ${TOKEN}` }, body: 'uploaded by the browser' });
    const { id } = (await res.json()) as { id: string };
    const answer = await call('cloud.deploy', { path: runbook, collection: 'demo', uploads: [id] });
    expect(answer).toMatchObject({ ok: true, value: { status: 'delivered' } });
    expect(uploaded.at(-1)).toContain('uploaded by the browser');
  });

  it('the desktop window (IPC) may name host files', async () => {
    const deployed = await dispatch(engine.api, 'cloud.deploy', { path: runbook, collection: 'demo', files: [hostFile] });
    expect(deployed).toMatchObject({ status: 'delivered' });
    expect(uploaded.at(-1)).toContain(HOST_SECRET);
  });

  it('over the WebSocket, pointing the app at another remote needs the code shown in the terminal: a bare signIn, a wrong code and a reused code are refused', async () => {
    const bare = await call('cloud.signIn', { token: 'mlc_attacker_token_1234', baseUrl: other.url });
    expect(bare.error?.message).toMatch(/needs the user's confirmation/);
    expect((await call('cloud.status', {})).value?.baseUrl).toBe(remote.url);

    const proposal = await call('cloud.proposeRemote', { baseUrl: other.url });
    expect(proposal.value).toEqual({ baseUrl: other.url, confirmation: null, codeShownIn: 'the test’s terminal' });
    expect(codes.at(-1)?.baseUrl).toBe(other.url);
    const code = codes.at(-1)!.code;
    const wrong = await call('cloud.signIn', { token: 'mlc_attacker_token_1234', baseUrl: other.url, confirmation: 'WRONGCODE1' });
    expect(wrong.error?.message).toMatch(/confirmation for .* is wrong \(type the code shown in the test’s terminal\)/);
    const right = await call('cloud.signIn', { token: 'mlc_other_remote_token_99', baseUrl: other.url, confirmation: code.toLowerCase() });
    expect(right).toMatchObject({ ok: true, value: { baseUrl: other.url } });
    const reused = await call('cloud.signIn', { token: 'mlc_other_remote_token_99', baseUrl: remote.url, confirmation: code });
    expect(reused.ok).toBe(false);
    // The same remote again needs nothing.
    expect(await call('cloud.signIn', { token: 'mlc_other_remote_token_99', baseUrl: `${other.url}/` })).toMatchObject({ ok: true });
  });

  it('the desktop window confirms in its own dialog: proposeRemote hands it the confirmation, a bare signIn is still refused', async () => {
    await expect(dispatch(engine.api, 'cloud.signIn', { token: 'mlc_back_to_first_remote', baseUrl: remote.url })).rejects.toThrow(/needs the user's confirmation/);
    const proposal = (await dispatch(engine.api, 'cloud.proposeRemote', { baseUrl: remote.url })) as { confirmation: string };
    expect(proposal.confirmation).toMatch(/^[\w-]{32}$/);
    const status = await dispatch(engine.api, 'cloud.signIn', { token: 'mlc_back_to_first_remote', baseUrl: remote.url, confirmation: proposal.confirmation });
    expect(status).toMatchObject({ baseUrl: remote.url });
  });

  it('without a terminal to show a code in (the desktop app’s local API), the WebSocket cannot change the remote at all', async () => {
    const desktop = await createEngine({ dataDir: path.join(tmp, 'data-2'), env: { HOME: path.join(tmp, 'home-2'), JETTY_API_URL: remote.url }, hostInputFiles: true });
    try {
      await expect(dispatch(desktop.webApi, 'cloud.proposeRemote', { baseUrl: other.url })).rejects.toThrow(/only in the desktop app’s Settings → Cloud/);
      await expect(dispatch(desktop.webApi, 'cloud.signIn', { token: 'mlc_attacker_token_1234', baseUrl: other.url })).rejects.toThrow(/needs the user's confirmation/);
    } finally {
      await desktop.close();
    }
  });
});
