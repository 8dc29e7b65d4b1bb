import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dispatch } from '../../shared/rpc';
import { UPLOADS_PATH } from '../../shared/uploads';
import { createEngine, type Engine } from '../../electron/engine/api';
import { createLocalServer, type LocalServer } from '../../electron/engine/server/local-server';
import { REPO } from '../helpers/cli';

const TOKEN = 'uploads-test-token';
const LIMIT = 64 * 1024;

let dataDir: string;
let folder: string;
let outside: string;
let engine: Engine;
let server: LocalServer;
let runbook: string;

const uploadUrl = (name: string) => `${server.origin}${UPLOADS_PATH}?name=${encodeURIComponent(name)}`;
const post = (name: string, body: string | Uint8Array, headers: Record<string, string> = { Authorization: `Bearer ${TOKEN}` }) =>
  fetch(uploadUrl(name), { method: 'POST', headers, body, duplex: 'half' } as RequestInit);
/** Every file under the data folder's uploads, as `id/name`. */
const uploaded = () => readdirSync(path.join(dataDir, 'uploads'), { recursive: true, withFileTypes: true }).filter((e) => e.isFile()).map((e) => path.relative(path.join(dataDir, 'uploads'), path.join(e.parentPath, e.name)));
const call = (method: string, input: unknown) => dispatch(engine.api, method, input);
const refusal = (p: Promise<unknown>) => p.then(() => 'accepted', (e: Error) => e.message);

beforeAll(async () => {
  dataDir = mkdtempSync(path.join(os.tmpdir(), 'jetty-uploads-'));
  folder = mkdtempSync(path.join(os.tmpdir(), 'jetty-uploads-folder-'));
  outside = mkdtempSync(path.join(os.tmpdir(), 'jetty-uploads-outside-'));
  writeFileSync(path.join(outside, 'secret.txt'), 'not for runs');
  const dir = path.join(folder, 'runbooks', 'acme', 'hello');
  mkdirSync(path.join(dir, 'examples', 'short'), { recursive: true });
  runbook = path.join(dir, 'RUNBOOK.md');
  writeFileSync(runbook, readFileSync(path.join(REPO, 'resources/examples/demo/hello-report/RUNBOOK.md')));
  writeFileSync(path.join(dir, 'examples', 'short', 'notes.txt'), 'example notes\n');
  writeFileSync(
    path.join(dir, 'manifest.json'),
    JSON.stringify({
      inputs: [{ label: 'Notes', type: 'file', accept: '.txt' }],
      example_outputs: [
        { id: 'short', title: 'Short notes', input: { file: 'examples/short/notes.txt', values: { name: 'Ada' } } },
        { id: 'escaping', title: 'Link out', input: { file: 'examples/link.txt' } },
      ],
    }),
  );
  symlinkSync(path.join(outside, 'secret.txt'), path.join(dir, 'examples', 'link.txt'));
  engine = await createEngine({ dataDir, folders: [folder], env: {}, maxUploadBytes: LIMIT });
  server = await createLocalServer({ engine, token: TOKEN, staticDir: null, routes: engine.routes });
});

afterAll(async () => {
  await server?.close();
  await engine?.close();
  for (const d of [dataDir, folder, outside]) rmSync(d, { recursive: true, force: true });
});

describe('draft uploads over the local server', () => {
  it('streams a file into its own folder under the data dir, and only with the token', async () => {
    expect((await post('notes.txt', 'hello', {})).status).toBe(401);
    expect((await post('notes.txt', 'hello', { Authorization: 'Bearer wrong' })).status).toBe(401);
    const res = await post('notes.txt', 'hello uploads\n');
    expect(res.status).toBe(201);
    const upload = (await res.json()) as { id: string; name: string; size: number };
    expect(upload).toMatchObject({ name: 'notes.txt', size: 14 });
    expect(upload.id).toMatch(/^[0-9a-f]{16}$/);
    expect(readFileSync(path.join(dataDir, 'uploads', upload.id, 'notes.txt'), 'utf8')).toBe('hello uploads\n');
  });

  it('refuses a file past the size limit, by its Content-Length or as it streams, and keeps nothing of it', async () => {
    const before = uploaded();
    const big = await post('big.bin', new Uint8Array(LIMIT + 1));
    expect(big.status).toBe(413);
    expect(((await big.json()) as { error: { message: string } }).error.message).toContain(`upload limit of ${LIMIT} bytes`);
    // Chunked (no Content-Length): refused once the limit is passed, while streaming.
    const streamed = await new Promise<number>((resolve, reject) => {
      const req = http.request(uploadUrl('stream.bin'), { method: 'POST', headers: { Authorization: `Bearer ${TOKEN}` } }, (res) => resolve(res.statusCode ?? 0));
      req.on('error', reject);
      for (let i = 0; i < 4; i++) req.write(Buffer.alloc(LIMIT / 2));
      req.end();
    });
    expect(streamed).toBe(413);
    expect(uploaded()).toEqual(before);
  });

  it('refuses file names with folders or .. in any spelling, and writes nothing outside', async () => {
    const before = uploaded();
    for (const name of ['../escape.txt', '..', 'a/b.txt', '..\\x.txt', '/etc/passwd', '', 'bad\u0001name']) {
      const res = await post(name, 'x');
      expect(res.status, name).toBe(400);
    }
    expect(uploaded()).toEqual(before);
    expect(readdirSync(dataDir)).not.toContain('escape.txt');
  });

  it('run.start takes only upload ids that name a file in the uploads, and no host paths from a browser', async () => {
    expect(await refusal(call('run.start', { runbookPath: runbook, uploads: ['../../etc/passwd'] }))).toContain('upload id');
    expect(await refusal(call('run.start', { runbookPath: runbook, uploads: ['0123456789abcdef'] }))).toContain('no upload 0123456789abcdef');
    // An upload folder whose file is a link out of the uploads does not resolve.
    const linked = path.join(dataDir, 'uploads', 'aaaaaaaaaaaaaaaa');
    mkdirSync(linked, { recursive: true });
    symlinkSync(path.join(outside, 'secret.txt'), path.join(linked, 'secret.txt'));
    expect(await refusal(call('run.start', { runbookPath: runbook, uploads: ['aaaaaaaaaaaaaaaa'] }))).toContain('no upload aaaaaaaaaaaaaaaa');
    const dangling = path.join(dataDir, 'uploads', 'bbbbbbbbbbbbbbbb');
    mkdirSync(dangling, { recursive: true });
    symlinkSync(path.join(outside, 'gone.txt'), path.join(dangling, 'gone.txt'));
    expect(await refusal(call('run.start', { runbookPath: runbook, uploads: ['bbbbbbbbbbbbbbbb'] }))).toContain('no upload bbbbbbbbbbbbbbbb');
    expect(await refusal(call('run.start', { runbookPath: runbook, files: [path.join(outside, 'secret.txt')] }))).toContain('accepted only from the desktop app');
  });

  it('upload.example copies the manifest example’s file into the uploads; a link out of the runbook folder is refused', async () => {
    const { files } = (await call('upload.example', { runbookPath: runbook, exampleId: 'short' })) as { files: { id: string; name: string }[] };
    expect(files.map((f) => f.name)).toEqual(['notes.txt']);
    expect(readFileSync(path.join(dataDir, 'uploads', files[0].id, 'notes.txt'), 'utf8')).toBe('example notes\n');
    expect(await refusal(call('upload.example', { runbookPath: runbook, exampleId: 'escaping' }))).toContain('not a file in the runbook');
    expect(await refusal(call('upload.example', { runbookPath: runbook, exampleId: 'nope' }))).toContain("no example 'nope'");
  });
});

describe('host paths in the desktop app', () => {
  it('are checked to be readable files before a run starts', async () => {
    const desktopData = mkdtempSync(path.join(os.tmpdir(), 'jetty-uploads-desktop-'));
    const desktop = await createEngine({ dataDir: desktopData, folders: [folder], env: {}, hostInputFiles: true });
    try {
      const start = (files: string[]) => refusal(dispatch(desktop.api, 'run.start', { runbookPath: runbook, files }));
      expect(await start([outside])).toContain(`${outside} is not a readable file`);
      expect(await start([path.join(outside, 'missing.txt')])).toContain('is not a readable file');
      expect(await start(['~/jetty-no-such-file-here.txt'])).toContain(`${path.join(os.homedir(), 'jetty-no-such-file-here.txt')} is not a readable file`);
    } finally {
      await desktop.close();
      rmSync(desktopData, { recursive: true, force: true });
    }
  });
});

describe('~ in a path', () => {
  it('opens ~/<folder> as the folder in the home folder', async () => {
    const home = mkdtempSync(path.join(os.tmpdir(), 'jetty-uploads-home-'));
    const before = process.env.HOME;
    mkdirSync(path.join(home, 'my-runbooks', 'runbooks', 'acme', 'hi'), { recursive: true });
    writeFileSync(path.join(home, 'my-runbooks', 'runbooks', 'acme', 'hi', 'RUNBOOK.md'), readFileSync(runbook));
    process.env.HOME = home;
    try {
      const ws = (await call('workspace.open', { folder: '~/my-runbooks' })) as { folder: string; runbooks: { name: string }[] };
      expect(ws.folder).toBe(path.join(home, 'my-runbooks'));
      expect(ws.runbooks.map((r) => r.name)).toEqual(['hi']);
    } finally {
      process.env.HOME = before;
      rmSync(home, { recursive: true, force: true });
    }
  });
});
