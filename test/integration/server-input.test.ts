import { execFileSync } from 'node:child_process';
import { once } from 'node:events';
import { mkdtemp, mkdir, readdir } from 'node:fs/promises';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openStore } from '../../electron/engine/store';
import { startFakeUpstream, type FakeUpstream } from '../helpers/fake-upstream';
import { multipartBody, type FormPart } from '../helpers/multipart-body';
import { jsonErrorOf, send, type HttpAnswer, type RawRequest } from '../helpers/raw-http';
import { startJettyServe, type ServedJetty } from '../helpers/serve';

// Runs the built CLI (`npm run build` first): a crash shows as the `jetty serve` child exiting.
const FOLDER = 'test/fixtures/workspace';
const BOUNDARY = 'jetty-test-boundary';
/** A trajectory-rich task of the fixture folder (`runbooks/ops/rotate-logs`). */
const TASK = { collection: 'ops', task: 'rotate-logs' };

let upstream: FakeUpstream;
let served: ServedJetty;
let tmpfsError: string | null = null;
let mounted: string | null = null;
const taskIds: string[] = [];
let otherTaskId = '';

beforeAll(async () => {
  upstream = await startFakeUpstream({ quiet: true });
  const dataDir = await mkdtemp(path.join(os.tmpdir(), 'jetty-input-'));
  // Uploads (and their temp folders, `files/.incoming`) land on a 2 MiB tmpfs: a full disk on demand.
  const files = path.join(dataDir, 'files');
  await mkdir(files);
  try {
    execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=2m', 'tmpfs', files], { stdio: 'pipe' });
    mounted = files;
  } catch (error) {
    tmpfsError = `mount -t tmpfs failed (${(error as Error).message.split('\n')[0]})`;
  }
  const store = openStore(path.join(dataDir, 'jetty.db'));
  for (let i = 0; i < 1000; i++) taskIds.push(store.createTrajectory({ ...TASK, kind: 'runbook', status: 'completed' }).id);
  otherTaskId = store.createTrajectory({ collection: 'reports', task: 'weekly-metrics', kind: 'runbook', status: 'completed' }).id;
  store.close();
  const env = Object.fromEntries(['OPENAI', 'ANTHROPIC', 'OPENROUTER', 'GEMINI'].map((p) => [`${p}_BASE_URL`, upstream.baseUrl]));
  served = await startJettyServe(FOLDER, { dataDir, env });
});

afterAll(async () => {
  if (mounted) execFileSync('umount', [mounted]);
  await served?.stop();
  await upstream?.close();
});

const api = (request: RawRequest) =>
  send(served.port, { ...request, headers: { authorization: `Bearer ${served.token}`, ...request.headers } }).then((answer) => {
    if (!answer) throw new Error('the request was cut short');
    return answer;
  });
const upload = (pathname: string, parts: FormPart[], options: { close?: boolean; abortAfterBytes?: number } = {}) =>
  send(served.port, {
    method: 'POST',
    path: pathname,
    headers: { authorization: `Bearer ${served.token}`, 'content-type': `multipart/form-data; boundary=${BOUNDARY}` },
    body: multipartBody(BOUNDARY, parts, options),
    abortAfterBytes: options.abortAfterBytes,
  });
const incoming = () => readdir(path.join(served.dataDir, 'files', '.incoming')).catch(() => []);

/** The answer is a JSON error with this status; the process is still serving. */
async function expectRefusal(answer: HttpAnswer | null, status: number): Promise<{ code: unknown; message: string }> {
  expect(answer?.status, answer?.text.slice(0, 300)).toBe(status);
  const error = jsonErrorOf(answer!);
  expect(error, answer!.text.slice(0, 300)).not.toBeNull();
  await expectAlive();
  return error!;
}

async function expectAlive() {
  expect(served.child.exitCode, served.output()).toBeNull();
  expect((await api({ path: '/api/health' })).status, served.output()).toBe(200);
}

/** Waits (bounded) until no upload temp folder is left. */
async function expectNoTempFolders() {
  await expect.poll(incoming, { timeout: 5_000, interval: 20 }).toEqual([]);
}

const truncatedForm: FormPart[] = [
  { name: 'collection', data: 'ops' },
  { name: 'file', filename: 'notes.txt', contentType: 'text/plain', data: 'half a file' },
];

describe('jetty serve refuses bad input and keeps running', () => {
  it('a multipart upload without its closing boundary is a 400 JSON error, to /files/upload and to /run of an existing task', async () => {
    const error = await expectRefusal(await upload('/api/v1/files/upload', truncatedForm, { close: false }), 400);
    expect(error.message).toMatch(/malformed multipart body: Unexpected end of form/);
    await expectRefusal(await upload(`/api/v1/run/${TASK.collection}/${TASK.task}`, truncatedForm, { close: false }), 400);
    await expectNoTempFolders();
    expect(await readdir(path.join(served.dataDir, 'files', TASK.collection)).catch(() => [])).toEqual([]);
  });

  it('an upload whose client goes away mid-body leaves no temp folder', async () => {
    const parts: FormPart[] = [...truncatedForm.slice(0, 1), { name: 'file', filename: 'big.bin', data: Buffer.alloc(256 * 1024, 7) }];
    const sentBytes = 64 * 1024;
    expect(await upload('/api/v1/files/upload', parts, { abortAfterBytes: sentBytes })).toBeNull();
    await expectNoTempFolders();
    await expectAlive();
  });

  it('ENOSPC during an upload is a 507 JSON error and removes the temp folder', async (ctx) => {
    if (tmpfsError) return ctx.skip(`${tmpfsError}: cannot fill a small disk`);
    const parts: FormPart[] = [truncatedForm[0], { name: 'file', filename: 'huge.bin', data: Buffer.alloc(3 * 1024 * 1024, 1) }];
    const error = await expectRefusal(await upload('/api/v1/files/upload', parts), 507);
    expect(error).toMatchObject({ code: 'insufficient_storage', message: expect.stringContaining('ENOSPC') });
    await expectNoTempFolders();
    // The disk is usable again: a small upload still works.
    const small = await upload('/api/v1/files/upload', [truncatedForm[0], { name: 'file', filename: 'small.txt', data: 'ok' }]);
    expect(small?.status, small?.text).toBe(201);
  });

  it('a UTF-8 upload name is kept as sent (café.txt)', async () => {
    const answer = await upload('/api/v1/files/upload', [truncatedForm[0], { name: 'file', filename: 'café-日本.txt', data: 'bonjour' }]);
    expect(answer?.status, answer?.text).toBe(201);
    expect((answer!.json as { filename: string }).filename).toBe('café-日本.txt');
    const download = await api({ path: `/api/v1/file/${encodeURIComponent((answer!.json as { path: string }).path).replace(/%2F/g, '/')}` });
    expect(download.text).toBe('bonjour');
  });

  it('deeply nested JSON is a 400 naming the depth limit, on REST and chat completions alike', async () => {
    const deep = (depth: number) => '['.repeat(depth) + ']'.repeat(depth);
    const task = await api({
      method: 'POST',
      path: `/api/v1/tasks/${TASK.collection}`,
      headers: { 'content-type': 'application/json' },
      body: `{"name": "deep", "workflow": {"steps": ${deep(100_000)}}}`,
    });
    expect((await expectRefusal(task, 400)).message).toMatch(/nested deeper than 128 levels/);
    const chat = await api({ method: 'POST', path: '/v1/chat/completions', headers: { 'content-type': 'application/json' }, body: `{"model": "openai/x", "messages": ${deep(100_000)}}` });
    expect((await expectRefusal(chat, 400)).message).toMatch(/nested deeper than 128 levels/);
    // Nesting within the limit passes the depth check (and reaches the route's own validation).
    const fine = await api({ method: 'POST', path: '/v1/chat/completions', headers: { 'content-type': 'application/json' }, body: `{"model": "nope/x", "messages": ${deep(100)}}` });
    expect(fine.status, fine.text).toBeLessThan(500);
    expect(fine.text).not.toMatch(/nested deeper/);
  });

  it('label keys, values and authors are bounded', async () => {
    const label = (value: string, key = 'quality') =>
      api({
        method: 'POST',
        path: `/api/v1/trajectory/${TASK.collection}/${TASK.task}/${taskIds[0]}/labels`,
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ key, value, author: 'me@example.com' }),
      });
    await expectRefusal(await label('x'.repeat(15 * 1024 * 1024)), 413);
    expect((await expectRefusal(await label('x'.repeat(4097)), 422)).message).toMatch(/value/);
    expect((await expectRefusal(await label('ok', 'k'.repeat(257)), 422)).message).toMatch(/key/);
    expect((await label('x'.repeat(4096))).status).toBe(201);
  });

  it('an oversized body is refused once the client has sent it, so a client that writes before it reads gets the 413, not a broken pipe', async () => {
    // A client like most: the whole body first (16 MiB, each write waited for), then the answer.
    const socket = net.connect(served.port, '127.0.0.1');
    await once(socket, 'connect');
    const size = 16 * 1024 * 1024;
    const head = `POST /api/v1/trajectory/${TASK.collection}/${TASK.task}/${taskIds[0]}/labels HTTP/1.1\r\nHost: 127.0.0.1:${served.port}\r\nAuthorization: Bearer ${served.token}\r\nContent-Type: application/json\r\nContent-Length: ${size}\r\nConnection: close\r\n\r\n`;
    const answer: Buffer[] = [];
    socket.on('data', (d: Buffer) => answer.push(d));
    socket.on('error', () => undefined); // a failed write rejects below
    const ended = once(socket, 'end');
    const write = (chunk: string | Buffer) => new Promise<void>((resolve, reject) => socket.write(chunk, (error) => (error ? reject(error) : resolve())));
    await write(head);
    const chunk = Buffer.alloc(256 * 1024, 'x');
    for (let sent = 0; sent < size; sent += chunk.length) await write(chunk); // the old code cut the connection under these writes: EPIPE
    await ended;
    expect(Buffer.concat(answer).toString('utf8')).toMatch(/^HTTP\/1\.1 413 /);
    await expectAlive();
  });

  it('a batch status update is bounded: 100k ids (2.1 MB) are refused at once, 1001 too, 1000 are set in one go', async () => {
    const many = Object.fromEntries(Array.from({ length: 100_000 }, (_, i) => [`${i.toString(16).padStart(8, '0')}`, 'archived']));
    const body = JSON.stringify(many);
    expect(body.length).toBeGreaterThan(2_000_000);
    const statuses = (payload: string) =>
      api({ method: 'POST', path: `/api/v1/trajectory/${TASK.collection}/${TASK.task}/statuses`, headers: { 'content-type': 'application/json' }, body: payload, timeoutMs: 5_000 });
    await expectRefusal(await statuses(body), 413);

    // The old code looked every id up, then filtered with Array.includes: 40 s of blocked event loop here.
    const overBound = await statuses(JSON.stringify(Object.fromEntries([...taskIds, otherTaskId].map((id) => [id, 'archived']))));
    expect((await expectRefusal(overBound, 413)).message).toMatch(/at most 1000 trajectories per status update, got 1001/);
    const within = await statuses(JSON.stringify(Object.fromEntries([...taskIds.slice(1), otherTaskId].map((id) => [id, 'archived']))));
    expect(within.status, within.text).toBe(200);
    const result = within.json as { updated: string[]; missing: string[] };
    expect(new Set(result.updated)).toEqual(new Set(taskIds.slice(1)));
    expect(result.missing).toEqual([otherTaskId]); // another task's trajectory is not touched
    const stats = await api({ path: `/api/v1/db/stats/${TASK.collection}/${TASK.task}` });
    expect((stats.json as { by_status: Record<string, number> }).by_status).toMatchObject({ archived: 999, completed: 1 });
  });
});
