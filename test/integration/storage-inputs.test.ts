import { GetObjectCommand, ListObjectsV2Command, S3Client } from '@aws-sdk/client-s3';
import { execFile } from 'node:child_process';
import { randomBytes, createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { buffer } from 'node:stream/consumers';
import type { Readable } from 'node:stream';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createEngine, type Engine } from '../../electron/engine/api';
import type { UploadAttempt } from '../../electron/engine/storage';
import { createLocalServer, type LocalServer } from '../../electron/engine/server/local-server';
import { startS3Server, type S3Server } from '../helpers/s3-server';
import { finishedRunWithArtifacts } from '../helpers/storage-artifacts';

const REPO = path.resolve(__dirname, '../..');
const TOKEN = 'storage-inputs-test-token';
const ENV = { AWS_ACCESS_KEY_ID: 'S3RVER', AWS_SECRET_ACCESS_KEY: 'S3RVER' };
const MB = 1024 * 1024;
const sha256 = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex');

/** `jetty export <id>` from the CLI's source, against the same data folder. */
async function jettyExport(dataDir: string, id: string): Promise<string> {
  const { stdout } = await promisify(execFile)(process.execPath, ['--import', 'tsx', path.join(REPO, 'electron/cli/index.ts'), 'export', id, '--data-dir', dataDir], {
    cwd: REPO,
    maxBuffer: 64 * MB,
  });
  return stdout;
}

describe('uploaded input files and export snapshots go to the collection backend (s3rver on loopback)', () => {
  let s3: S3Server;
  let dataDir: string;
  let engine: Engine;
  let server: LocalServer;
  let client: S3Client;

  const api = async (method: string, route: string, body?: unknown) => {
    const res = await fetch(`${server.origin}/api/v1${route}`, {
      method,
      headers: { authorization: `Bearer ${TOKEN}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    return { status: res.status, body: (await res.json()) as Record<string, unknown> };
  };
  const configure = async (collection: string, settings: Record<string, unknown>) => {
    await api('POST', '/collections', { name: collection });
    expect((await api('PUT', `/collections/${collection}/storage`, { settings })).status).toBe(200);
  };
  const upload = async (collection: string, name: string, bytes: Buffer) => {
    const form = new FormData();
    form.append('collection', collection);
    form.append('file', new Blob([bytes]), name);
    const res = await fetch(`${server.origin}/api/v1/files/upload`, { method: 'POST', headers: { authorization: `Bearer ${TOKEN}` }, body: form });
    expect(res.status).toBe(201);
    return ((await res.json()) as { path: string }).path;
  };
  /** Resolves with the next upload attempt of `collection` that `match` accepts. */
  const nextAttempt = (collection: string, match: (a: UploadAttempt) => boolean = () => true) =>
    new Promise<UploadAttempt>((resolve) => {
      const off = engine.services.storage.onUpload((a) => {
        if (a.collection !== collection || !match(a)) return;
        off();
        resolve(a);
      });
    });
  const bucketKeys = async (prefix: string) => {
    const out = await client.send(new ListObjectsV2Command({ Bucket: 'artifacts', Prefix: prefix }));
    return (out.Contents ?? []).map((o) => [o.Key, o.Size]);
  };
  const object = async (key: string) => buffer((await client.send(new GetObjectCommand({ Bucket: 'artifacts', Key: key }))).Body as Readable);
  const getFile = (relative: string, headers: Record<string, string> = {}) =>
    fetch(`${server.origin}/api/v1/file/${relative}`, { headers: { authorization: `Bearer ${TOKEN}`, ...headers } });

  beforeAll(async () => {
    s3 = await startS3Server(['artifacts']);
    client = new S3Client({ endpoint: s3.url, region: 'us-east-1', forcePathStyle: true, credentials: { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' } });
    dataDir = await mkdtemp(path.join(os.tmpdir(), 'jetty-storage-inputs-'));
    engine = await createEngine({ dataDir, env: ENV });
    server = await createLocalServer({ engine, token: TOKEN, staticDir: null, routes: engine.routes, maxBodyBytes: 1024 * 1024 });
  });
  afterAll(async () => {
    await server?.close();
    await engine?.close();
    await s3?.close();
    if (dataDir) await rm(dataDir, { recursive: true, force: true });
  });

  it('an input uploaded to a collection lands in its bucket under its prefix, verified, the local copy pruned, and /api/v1/file still serves it byte-identical (whole and ranges)', async () => {
    await configure('inputs-s3', { backend: 's3', bucket: 'artifacts', prefix: 'teams/inputs', endpoint: s3.url, pruneLocal: true });
    const bytes = randomBytes(6 * MB + 123);
    const done = nextAttempt('inputs-s3');
    const relative = await upload('inputs-s3', 'data set.csv', bytes);
    expect(await done).toMatchObject({ kind: 'input', trajectoryId: '', path: relative, ok: true });

    expect(await bucketKeys('teams/inputs/')).toEqual([[`teams/inputs/files/${relative}`, bytes.length]]);
    expect(sha256(await object(`teams/inputs/files/${relative}`))).toBe(sha256(bytes));
    expect(engine.services.storage.inputUpload(relative)).toMatchObject({ state: 'done', localPruned: true, sha256: sha256(bytes), size: bytes.length });
    expect(existsSync(path.join(dataDir, 'files', relative))).toBe(false);

    const whole = await getFile(relative);
    expect(whole.status).toBe(200);
    expect(sha256(Buffer.from(await whole.arrayBuffer()))).toBe(sha256(bytes));
    const ranged = await getFile(relative, { range: 'bytes=1000-1999' });
    expect(ranged.status).toBe(206);
    expect(ranged.headers.get('content-range')).toBe(`bytes 1000-1999/${bytes.length}`);
    expect(Buffer.from(await ranged.arrayBuffer()).equals(bytes.subarray(1000, 2000))).toBe(true);
    const uploads = (await api('GET', '/collections/inputs-s3/storage/uploads?state=done')).body.uploads;
    expect(uploads).toEqual([expect.objectContaining({ kind: 'input', path: relative, location: `s3://artifacts/teams/inputs/files/${relative}` })]);
  });

  it('an input uploaded while the backend is down stays local and pending with the reason; once it is back it goes up and is marked done', async () => {
    await configure('inputs-down', { backend: 's3', bucket: 'artifacts', prefix: 'down-inputs', endpoint: s3.url, pruneLocal: true });
    await s3.stop();
    const bytes = randomBytes(2 * MB);
    const failed = nextAttempt('inputs-down');
    const relative = await upload('inputs-down', 'in.bin', bytes);
    expect(await failed).toMatchObject({ kind: 'input', ok: false, error: expect.stringContaining('could not be reached') });
    expect(engine.services.storage.inputUpload(relative)).toMatchObject({ state: 'pending', attempts: 1, lastError: expect.stringContaining('ECONNREFUSED') });
    expect(sha256(await readFile(path.join(dataDir, 'files', relative)))).toBe(sha256(bytes));
    expect((await getFile(relative)).status).toBe(200); // served from the local copy meanwhile

    const recovered = nextAttempt('inputs-down');
    await s3.start();
    engine.services.storage.retry('inputs-down');
    expect(await recovered).toMatchObject({ kind: 'input', ok: true });
    expect(engine.services.storage.inputUpload(relative)).toMatchObject({ state: 'done', attempts: 2, lastError: null, localPruned: true });
    expect(await bucketKeys('down-inputs/')).toEqual([[`down-inputs/files/${relative}`, bytes.length]]);
    expect(sha256(Buffer.from(await (await getFile(relative)).arrayBuffer()))).toBe(sha256(bytes));
  });

  it("a finished run's export snapshot lands in the bucket as exports/<id>.json, identical to `jetty export`, and is taken again when its labels change", async () => {
    await configure('exports-s3', { backend: 's3', bucket: 'artifacts', prefix: 'ex', endpoint: s3.url, pruneLocal: false });
    const { store, storage } = engine.services;
    const run = await finishedRunWithArtifacts(store, dataDir, 'exports-s3', { 'out.txt': 100 });
    const writer = store.eventWriter(run.id);
    for (let i = 0; i < 30; i++) writer.append({ level: 'info', type: 'log', payload: { message: `line ${i}` } });
    writer.close();
    const exported = nextAttempt('exports-s3', (a) => a.kind === 'export');
    await storage.runEnded(run.id); // what the runner wrapper calls when a run's done resolves
    expect(await exported).toMatchObject({ trajectoryId: run.id, ok: true });
    const key = `ex/exports/${run.id}.json`;
    expect(`${(await object(key)).toString('utf8')}\n`).toBe(await jettyExport(dataDir, run.id));
    expect(storage.exportUpload(run.id)).toMatchObject({ state: 'done', size: Buffer.byteLength(await jettyExport(dataDir, run.id)) - 1 });

    const again = nextAttempt('exports-s3', (a) => a.kind === 'export');
    store.addLabel(run.id, { key: 'quality', value: 'good', author: 'test' });
    store.addLabel(run.id, { key: 'reviewed', value: 'yes', author: 'test' });
    expect(await again).toMatchObject({ trajectoryId: run.id, ok: true });
    const relabelled = JSON.parse((await object(key)).toString('utf8')) as { labels: { key: string }[] };
    expect(relabelled.labels.map((l) => l.key).sort()).toEqual(['quality', 'reviewed']);
    expect(`${(await object(key)).toString('utf8')}\n`).toBe(await jettyExport(dataDir, run.id));
    expect(storage.exportUpload(run.id)).toMatchObject({ state: 'done', attempts: 1 }); // one snapshot for the burst of labels
  });
});
