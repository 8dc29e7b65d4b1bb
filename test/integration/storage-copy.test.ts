import { ListObjectsV2Command, S3Client } from '@aws-sdk/client-s3';
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CopyProgress } from '../../shared/storage-api';
import type { EventPayload } from '../../shared/contract';
import { createEngine, type Engine } from '../../electron/engine/api';
import { hashStream } from '../../electron/engine/storage/hashing';
import { createLocalServer, type LocalServer } from '../../electron/engine/server/local-server';
import { allowS3Keys, startS3Server, type S3Server } from '../helpers/s3-server';
import { finishedRunWithArtifacts } from '../helpers/storage-artifacts';

const TOKEN = 'storage-copy-test-token';
const KEY_ID = 'JETTYCOPYKEY0001';
const SECRET_KEY = 'jetty-copy-secret/Nn3+not-for-logs';
const MB = 1024 * 1024;

describe('switching a collection between backends copies its artifacts on request, from the old remote, with progress (s3rver on loopback)', () => {
  let s3: S3Server;
  let dataDir: string;
  let engine: Engine;
  let server: LocalServer;

  const api = async (method: string, route: string, body?: unknown) => {
    const res = await fetch(`${server.origin}/api/v1${route}`, {
      method,
      headers: { authorization: `Bearer ${TOKEN}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    return { status: res.status, body: (await res.json()) as Record<string, unknown> };
  };
  const keys = async (bucket: string, prefix: string) => {
    const client = new S3Client({ endpoint: s3.url, region: 'us-east-1', forcePathStyle: true, credentials: { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' } });
    const out = await client.send(new ListObjectsV2Command({ Bucket: bucket, Prefix: prefix }));
    return (out.Contents ?? []).map((o) => [o.Key, o.Size]);
  };
  /** Resolves with every `storage.progress` event of `collection` up to the one that ends its copy. */
  const copyEnds = (collection: string) =>
    new Promise<CopyProgress[]>((resolve) => {
      const seen: CopyProgress[] = [];
      const off = engine.bus.subscribe('storage.progress', (p) => {
        if (p.collection !== collection) return;
        seen.push(p);
        if (p.state !== 'running') {
          off();
          resolve(seen);
        }
      });
    });
  const uploadsEnd = (collection: string, n: number) =>
    new Promise<EventPayload<'storage.changed'>[]>((resolve) => {
      const seen: EventPayload<'storage.changed'>[] = [];
      const off = engine.bus.subscribe('storage.changed', (a) => {
        if (a.collection !== collection) return;
        seen.push(a);
        if (seen.length >= n) {
          off();
          resolve(seen);
        }
      });
    });

  beforeAll(async () => {
    allowS3Keys(KEY_ID, SECRET_KEY);
    s3 = await startS3Server(['old-bucket', 'new-bucket']);
    dataDir = await mkdtemp(path.join(os.tmpdir(), 'jetty-storage-copy-'));
    engine = await createEngine({ dataDir, env: {} });
    server = await createLocalServer({ engine, token: TOKEN, staticDir: null, routes: engine.routes, maxBodyBytes: 1024 * 1024 });
  });

  afterAll(async () => {
    await server?.close();
    await engine?.close();
    await s3?.close();
    if (dataDir) await rm(dataDir, { recursive: true, force: true });
  });

  it('artifacts only in the old bucket (local copies pruned) are streamed to the new one, verified, recorded there, with storage.progress events; REST and the contract agree', async () => {
    const { store, storage } = engine.services;
    await api('POST', '/collections', { name: 'moving' });
    const old = { backend: 's3' as const, bucket: 'old-bucket', prefix: 'team', endpoint: s3.url, pruneLocal: true };
    const configured = await api('PUT', '/collections/moving/storage', { settings: old, credentials: { access_key_id: KEY_ID, secret_access_key: SECRET_KEY } });
    expect(configured.status, JSON.stringify(configured.body)).toBe(200);
    const run = await finishedRunWithArtifacts(store, dataDir, 'moving', { 'big.bin': 12 * MB, 'report.json': 3_000 });
    const uploaded = uploadsEnd('moving', 2);
    storage.enqueueRun(run.id, 'moving', run.artifacts);
    storage.start();
    expect((await uploaded).every((a) => a.ok)).toBe(true);
    expect(existsSync(path.join(dataDir, 'artifacts', run.id, 'big.bin'))).toBe(false); // pruned: only the old bucket has it

    // Switching moves nothing by itself.
    await engine.api['storage.configure']({ collection: 'moving', settings: { ...old, bucket: 'new-bucket' } });
    expect(await keys('new-bucket', '')).toEqual([]);
    const plan = await api('GET', '/collections/moving/storage/copy');
    expect(plan.body).toEqual({
      collection: 'moving',
      to: 's3://new-bucket/team',
      count: 2,
      bytes: 12 * MB + 3_000,
      from: [{ location: 's3://old-bucket/team', count: 2, bytes: 12 * MB + 3_000 }],
    });
    expect(await engine.api['storage.copyPlan']({ collection: 'moving' })).toEqual(plan.body);

    const progress = copyEnds('moving');
    const started = await api('POST', '/collections/moving/storage/copy');
    expect(started.body).toMatchObject({ count: 2, bytes: 12 * MB + 3_000 });
    const events = await progress;
    const last = events.at(-1)!;
    expect(last).toMatchObject({ state: 'done', total: 2, copied: 2, failed: 0, bytesCopied: 12 * MB + 3_000, current: null, errors: [] });
    expect(events[0]).toMatchObject({ state: 'running', copied: 0, bytesCopied: 0 });
    const bytes = events.map((e) => e.bytesCopied);
    expect(bytes).toEqual([...bytes].sort((a, b) => a - b)); // progress only moves forward

    expect((await keys('new-bucket', `team/artifacts/${run.id}/`)).sort()).toEqual([
      [`team/artifacts/${run.id}/big.bin`, 12 * MB],
      [`team/artifacts/${run.id}/report.json`, 3_000],
    ]);
    // Reads now come from the new bucket, byte-identical; nothing left to copy.
    expect(storage.upload(run.id, 'big.bin')).toMatchObject({ state: 'done', localPruned: true, target: { bucket: 'new-bucket' } });
    const back = await storage.openUploaded(run.id, 'big.bin');
    expect((await hashStream(back!.stream)).sha256).toBe(run.artifacts.find((a) => a.path === 'big.bin')!.sha256);
    expect(await engine.api['storage.copyPlan']({ collection: 'moving' })).toMatchObject({ count: 0, from: [] });
    expect(await engine.api['storage.artifacts']({ id: run.id })).toEqual({
      uploads: expect.arrayContaining([expect.objectContaining({ path: 'big.bin', state: 'done', location: `s3://new-bucket/team/artifacts/${run.id}/big.bin` })]),
    });
  });

  it('local copies are copied too; an artifact whose copy fails is named in the progress and, when local, handed to the upload queue, which Retry attempts at once', async () => {
    const { store, storage } = engine.services;
    await api('POST', '/collections', { name: 'stay-local' });
    const run = await finishedRunWithArtifacts(store, dataDir, 'stay-local', { 'a.txt': 2_000 });
    // Kept locally so far; switch to a bucket that does not exist.
    await engine.api['storage.configure']({ collection: 'stay-local', settings: { backend: 's3', bucket: 'missing-bucket', endpoint: s3.url }, credentials: { accessKeyId: KEY_ID, secretAccessKey: SECRET_KEY } });
    expect(await engine.api['storage.copyPlan']({ collection: 'stay-local' })).toMatchObject({ count: 1, from: [{ location: 'local', count: 1 }] });
    const progress = copyEnds('stay-local');
    await engine.api['storage.copy']({ collection: 'stay-local' });
    const last = (await progress).at(-1)!;
    expect(last).toMatchObject({ state: 'failed', copied: 0, failed: 1, errors: [{ trajectoryId: run.id, path: 'a.txt', error: expect.stringContaining('NoSuchBucket') }] });
    await storage.idle();
    const pending = await engine.api['storage.uploads']({ collection: 'stay-local', state: 'pending' });
    expect(pending.uploads).toEqual([expect.objectContaining({ path: 'a.txt', state: 'pending' })]);
    const attempted = uploadsEnd('stay-local', 1);
    expect(await engine.api['storage.retry']({ collection: 'stay-local', trajectoryId: run.id, path: 'a.txt' })).toEqual({ retried: 1 });
    expect((await attempted)[0]).toMatchObject({ path: 'a.txt', ok: false, error: expect.stringContaining('NoSuchBucket') });
    const again = uploadsEnd('stay-local', 1);
    expect((await api('POST', '/collections/stay-local/storage/uploads/retry', {})).body).toEqual({ retried: 1 });
    expect((await again)[0]).toMatchObject({ path: 'a.txt', ok: false });

    // Pointed at a bucket that exists, the copy goes through.
    await engine.api['storage.configure']({ collection: 'stay-local', settings: { backend: 's3', bucket: 'new-bucket', prefix: 'local', endpoint: s3.url } });
    const fixed = await engine.api['storage.copyPlan']({ collection: 'stay-local' });
    expect(fixed).toMatchObject({ to: 's3://new-bucket/local', count: 1 });
    const copied = copyEnds('stay-local');
    await engine.api['storage.copy']({ collection: 'stay-local' });
    expect((await copied).at(-1)).toMatchObject({ state: 'done', copied: 1 });
    expect(await keys('new-bucket', `local/artifacts/${run.id}/`)).toEqual([[`local/artifacts/${run.id}/a.txt`, 2_000]]);
    expect(existsSync(path.join(dataDir, 'artifacts', run.id, 'a.txt'))).toBe(true); // pruneLocal off: the local copy stays
    expect(await engine.api['storage.uploads']({ collection: 'stay-local', state: 'pending' })).toEqual({ uploads: [] });
  });
});
