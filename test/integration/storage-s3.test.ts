import { ListObjectsV2Command, S3Client } from '@aws-sdk/client-s3';
import { createHash } from 'node:crypto';
import { createReadStream, existsSync } from 'node:fs';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { UploadAttempt } from '../../electron/engine/storage';
import { createEngine, type Engine } from '../../electron/engine/api';
import { createLocalServer, type LocalServer } from '../../electron/engine/server/local-server';
import { allowS3Keys, startRecordingProxy, startS3Server, type RecordingProxy, type S3Server } from '../helpers/s3-server';
import { finishedRunWithArtifacts } from '../helpers/storage-artifacts';

const TOKEN = 'storage-s3-test-token';
const KEY_ID = 'JETTYTESTKEY0001';
const SECRET_KEY = 'jetty-storage-secret/Zq8+u7Kp3wX9-not-for-logs';
const MB = 1024 * 1024;

const sha256 = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex');

describe('artifact storage against a real S3-compatible server (s3rver on loopback)', () => {
  let s3: S3Server;
  let proxy: RecordingProxy;
  let dataDir: string;
  let engine: Engine;
  let server: LocalServer;
  const attempts: UploadAttempt[] = [];

  const api = async (method: string, route: string, body?: unknown) => {
    const res = await fetch(`${server.origin}/api/v1${route}`, {
      method,
      headers: { authorization: `Bearer ${TOKEN}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    return { status: res.status, body: (await res.json()) as Record<string, unknown> };
  };
  const configure = async (collection: string, settings: Record<string, unknown>, credentials = true) => {
    await api('POST', '/collections', { name: collection });
    const res = await api('PUT', `/collections/${collection}/storage`, {
      settings,
      ...(credentials ? { credentials: { access_key_id: KEY_ID, secret_access_key: SECRET_KEY } } : {}),
    });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    return res.body;
  };
  /** Resolves once `n` more upload attempts of `collection` have ended. */
  const attemptsOf = (collection: string, n: number) =>
    new Promise<UploadAttempt[]>((resolve) => {
      const seen: UploadAttempt[] = [];
      const off = engine.services.storage.onUpload((a) => {
        if (a.collection !== collection) return;
        seen.push(a);
        if (seen.length >= n) {
          off();
          resolve(seen);
        }
      });
    });
  const bucketKeys = async (prefix: string) => {
    const client = new S3Client({ endpoint: s3.url, region: 'us-east-1', forcePathStyle: true, credentials: { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' } });
    const out = await client.send(new ListObjectsV2Command({ Bucket: 'artifacts', Prefix: prefix }));
    return (out.Contents ?? []).map((o) => [o.Key, o.Size]);
  };

  beforeAll(async () => {
    allowS3Keys(KEY_ID, SECRET_KEY);
    s3 = await startS3Server(['artifacts']);
    proxy = await startRecordingProxy(() => s3.url);
    dataDir = await mkdtemp(path.join(os.tmpdir(), 'jetty-storage-s3-'));
    engine = await createEngine({ dataDir, env: {} });
    engine.services.storage.onUpload((a) => attempts.push(a));
    server = await createLocalServer({ engine, token: TOKEN, staticDir: null, routes: engine.routes, maxBodyBytes: 1024 * 1024 });
  });

  afterAll(async () => {
    await server?.close();
    await engine?.close();
    await proxy?.close();
    await s3?.close();
    if (dataDir) await rm(dataDir, { recursive: true, force: true });
  });

  it('S3: a 50 MB artifact goes up in parts, sits in the bucket, and comes back byte-identical through /api/v1/file (whole and ranges), previews and a presigned URL', async () => {
    const described = await configure('team-s3', { backend: 's3', bucket: 'artifacts', prefix: 'teams/s3', endpoint: proxy.url, region: 'us-east-1', pruneLocal: true });
    expect(described).toMatchObject({ settings: { backend: 's3', bucket: 'artifacts', prefix: 'teams/s3' }, credentials: 'vault', pending: 0 });
    expect(JSON.stringify(described)).not.toContain(SECRET_KEY);

    const { store, storage } = engine.services;
    const run = await finishedRunWithArtifacts(store, dataDir, 'team-s3', { 'big.bin': 50 * MB, 'notes/report.json': 2_000 });
    const before = proxy.requests.length;
    const done = attemptsOf('team-s3', 2);
    expect(storage.enqueueRun(run.id, 'team-s3', run.artifacts)).toEqual({ location: `s3://artifacts/teams/s3/artifacts/${run.id}`, count: 2 });
    storage.start();
    expect((await done).map((a) => [a.path, a.ok, a.error ?? null]).sort()).toEqual([['big.bin', true, null], ['notes/report.json', true, null]]);

    // Multipart: one initiate, seven 8 MiB parts (the last shorter), one complete.
    const sent = proxy.requests.slice(before);
    expect(sent.filter((r) => r.method === 'POST' && /[?&]uploads/.test(r.url))).toHaveLength(1);
    expect(sent.filter((r) => r.method === 'PUT' && /partNumber=/.test(r.url))).toHaveLength(7);

    expect(await bucketKeys(`teams/s3/artifacts/${run.id}/`)).toEqual([
      [`teams/s3/artifacts/${run.id}/big.bin`, 50 * MB],
      [`teams/s3/artifacts/${run.id}/notes/report.json`, 2_000],
    ]);
    // Verified, so the local copies went (pruneLocal).
    expect(existsSync(path.join(dataDir, 'artifacts', run.id, 'big.bin'))).toBe(false);
    const uploads = await api('GET', '/collections/team-s3/storage/uploads?state=done');
    expect(uploads.body.uploads).toEqual(
      expect.arrayContaining([expect.objectContaining({ trajectoryId: run.id, path: 'big.bin', state: 'done', localPruned: true, location: `s3://artifacts/teams/s3/artifacts/${run.id}/big.bin` })]),
    );

    const big = run.artifacts.find((a) => a.path === 'big.bin')!;
    const whole = await fetch(`${server.origin}/api/v1/file/artifacts/${run.id}/big.bin`, { headers: { authorization: `Bearer ${TOKEN}` } });
    expect(whole.status).toBe(200);
    expect(whole.headers.get('content-length')).toBe(String(50 * MB));
    const hash = createHash('sha256');
    for await (const chunk of whole.body!) hash.update(chunk);
    expect(hash.digest('hex')).toBe(big.sha256);

    const ranged = await fetch(`${server.origin}/api/v1/file/artifacts/${run.id}/big.bin`, { headers: { authorization: `Bearer ${TOKEN}`, range: 'bytes=-100' } });
    expect(ranged.status).toBe(206);
    expect(ranged.headers.get('content-range')).toBe(`bytes ${50 * MB - 100}-${50 * MB - 1}/${50 * MB}`);
    const tail = Buffer.from(await ranged.arrayBuffer());
    expect(tail.length).toBe(100);

    // The replay viewer's preview reads the same bytes through the backend.
    const preview = await engine.api['trajectory.artifact']({ id: run.id, path: 'notes/report.json' });
    const report = run.artifacts.find((a) => a.path === 'notes/report.json')!;
    expect(preview).toMatchObject({ size: 2_000, truncated: false, encoding: 'base64' });
    expect(sha256(Buffer.from(preview.content, 'base64'))).toBe(report.sha256);
    const bigPreview = await engine.api['trajectory.artifact']({ id: run.id, path: 'big.bin' });
    expect(bigPreview.truncated).toBe(true);
    expect(Buffer.from(bigPreview.content, 'base64').length).toBe(5 * MB);

    const url = await storage.downloadUrl(run.id, 'notes/report.json');
    expect(url).toMatch(/X-Amz-Signature=/);
    expect(sha256(Buffer.from(await (await fetch(url!)).arrayBuffer()))).toBe(report.sha256);
  });

  it('R2 settings send only the checksums R2 requires (none on a plain put); S3 settings send the SDK default ones; both go up and verify', async () => {
    await configure('team-r2', { backend: 'r2', bucket: 'artifacts', prefix: 'r2', endpoint: proxy.url });
    await configure('team-s3-checksums', { backend: 's3', bucket: 'artifacts', prefix: 's3c', endpoint: proxy.url });
    const checksumHeaders = (prefix: string) =>
      proxy.requests.filter((r) => r.method === 'PUT' && r.url.includes(`/${prefix}/`)).flatMap((r) => Object.keys(r.headers).filter((h) => h.startsWith('x-amz-checksum') || h === 'x-amz-sdk-checksum-algorithm'));

    for (const collection of ['team-r2', 'team-s3-checksums']) {
      const test = await api('POST', `/collections/${collection}/storage/test`, {});
      expect(test.body, collection).toMatchObject({ ok: true });
      const run = await finishedRunWithArtifacts(engine.services.store, dataDir, collection, { 'out.txt': 4_000 });
      const done = attemptsOf(collection, 1);
      engine.services.storage.enqueueRun(run.id, collection, run.artifacts);
      engine.services.storage.start();
      expect((await done)[0]).toMatchObject({ ok: true });
    }
    expect(checksumHeaders('r2')).toEqual([]);
    expect(checksumHeaders('s3c').length).toBeGreaterThan(0);
  });

  // s3rver checks the access key id but not SigV4 signatures, so "wrong credentials" here is a key it does not know.
  it('Test connection names the failure: unknown access key, missing bucket, no server, and an R2 bucket without its endpoint', async () => {
    await api('POST', '/collections', { name: 'team-bad' });
    const test = async (settings: Record<string, unknown>) => (await api('POST', '/collections/team-bad/storage/test', { settings })).body;
    await api('PUT', '/collections/team-bad/storage', { settings: { backend: 'local' }, credentials: { access_key_id: 'NOSUCHKEY', secret_access_key: 'wrong-secret-value' } });
    expect(await test({ backend: 's3', bucket: 'artifacts', endpoint: s3.url })).toMatchObject({ ok: false, failure: 'bad_credentials', message: expect.stringMatching(/^s3:\/\/artifacts\/\.jetty-probe\/[0-9a-f]+: the access key or secret is wrong.*InvalidAccessKeyId/) });
    await api('PUT', '/collections/team-bad/storage', { settings: { backend: 'local' }, credentials: { access_key_id: KEY_ID, secret_access_key: SECRET_KEY } });
    expect(await test({ backend: 's3', bucket: 'no-such-bucket', endpoint: s3.url })).toMatchObject({ ok: false, failure: 'no_bucket', message: expect.stringContaining('NoSuchBucket') });
    expect(await test({ backend: 's3', bucket: 'artifacts', endpoint: 'http://127.0.0.1:9' })).toMatchObject({ ok: false, failure: 'no_network', message: expect.stringContaining('ECONNREFUSED') });
    expect(await test({ backend: 'r2', bucket: 'artifacts' })).toMatchObject({ ok: false, failure: 'refused', message: expect.stringContaining('needs its endpoint') });
    const noKeys = await api('PUT', '/collections/team-bad/storage', { settings: { backend: 'gcs', bucket: 'artifacts', endpoint: s3.url } });
    expect(noKeys.body).toMatchObject({ credentials: 'vault' });
  });

  it('a backend that is down leaves artifacts local and pending with the reason; once it is back they go up, verified, and are marked done', async () => {
    await configure('team-down', { backend: 's3', bucket: 'artifacts', prefix: 'down', endpoint: s3.url });
    const { store, storage } = engine.services;
    await s3.stop();
    const run = await finishedRunWithArtifacts(store, dataDir, 'team-down', { 'result.bin': 3 * MB });
    const failed = attemptsOf('team-down', 1);
    storage.enqueueRun(run.id, 'team-down', run.artifacts);
    storage.start();
    expect((await failed)[0]).toMatchObject({ ok: false, error: expect.stringContaining('could not be reached') });
    const pending = (await api('GET', '/collections/team-down/storage/uploads?state=pending')).body.uploads as Record<string, unknown>[];
    expect(pending).toEqual([expect.objectContaining({ path: 'result.bin', state: 'pending', attempts: 1, lastError: expect.stringContaining('ECONNREFUSED') })]);
    expect(existsSync(path.join(dataDir, 'artifacts', run.id, 'result.bin'))).toBe(true);
    expect(store.getTrajectory(run.id)?.status).toBe('completed');

    const recovered = attemptsOf('team-down', 1);
    await s3.start();
    expect((await recovered)[0]).toMatchObject({ ok: true }); // the retry timer (backoff) fires on its own
    expect(storage.upload(run.id, 'result.bin')).toMatchObject({ state: 'done', attempts: 2, lastError: null });
    expect(await bucketKeys(`down/artifacts/${run.id}/`)).toEqual([[`down/artifacts/${run.id}/result.bin`, 3 * MB]]);
    // pruneLocal is off for this collection: the local copy stays.
    expect(sha256(await readFile(path.join(dataDir, 'artifacts', run.id, 'result.bin')))).toBe(run.artifacts[0].sha256);
  });

  it('the storage secret key is in no byte of the store (jetty.db and WAL), the data folder outside the encrypted vault, the settings answers, or an export', async () => {
    const { store } = engine.services;
    const needles = [SECRET_KEY, Buffer.from(SECRET_KEY).toString('base64'), encodeURIComponent(SECRET_KEY)];
    const hits = (bytes: Buffer) => needles.filter((n) => bytes.includes(n));
    const files: string[] = [];
    const walk = async (dir: string): Promise<void> => {
      for (const entry of await readdir(dir, { withFileTypes: true })) {
        const full = path.join(dir, entry.name);
        if (entry.isDirectory()) await walk(full);
        else files.push(full);
      }
    };
    await walk(dataDir);
    expect(files).toContain(store.file);
    for (const file of files) {
      const chunks: Buffer[] = [];
      for await (const chunk of createReadStream(file, { highWaterMark: MB })) chunks.push(chunk as Buffer);
      // The vault holds it encrypted (AES-256-GCM): no readable form there either.
      expect(hits(Buffer.concat(chunks)), file).toEqual([]);
    }
    const ids = store.listTrajectories({ collection: 'team-s3' }).trajectories.map((t) => t.id);
    expect(ids.length).toBeGreaterThan(0);
    for (const id of ids) expect(hits(Buffer.from(JSON.stringify(store.exportTrajectory(id))))).toEqual([]);
    for (const c of ['team-s3', 'team-r2', 'team-down']) expect(hits(Buffer.from(JSON.stringify((await api('GET', `/collections/${c}/storage`)).body)))).toEqual([]);
    expect(hits(Buffer.from(JSON.stringify(attempts)))).toEqual([]);
  });
});
