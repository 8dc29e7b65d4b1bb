import { GetObjectCommand, ListObjectsV2Command, S3Client } from '@aws-sdk/client-s3';
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { once } from 'node:events';
import os from 'node:os';
import path from 'node:path';
import { createInterface } from 'node:readline';
import type { Readable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openLocalServices } from '../../electron/engine/local-services';
import { hashStream } from '../../electron/engine/storage/hashing';
import { startRecordingProxy, startS3Server, type RecordingProxy, type S3Server } from '../helpers/s3-server';

const CHILD = path.join(__dirname, 'storage-crash-child.ts');
const MB = 1024 * 1024;
const SIZE = 64 * MB;
const ENV = { AWS_ACCESS_KEY_ID: 'S3RVER', AWS_SECRET_ACCESS_KEY: 'S3RVER' };

describe('an engine killed (SIGKILL) mid-upload', () => {
  let s3: S3Server;
  let proxy: RecordingProxy;
  let dataDir: string;

  beforeAll(async () => {
    s3 = await startS3Server(['artifacts']);
    proxy = await startRecordingProxy(() => s3.url);
    dataDir = await mkdtemp(path.join(os.tmpdir(), 'jetty-storage-crash-'));
  });
  afterAll(async () => {
    await proxy?.close();
    await s3?.close();
    if (dataDir) await rm(dataDir, { recursive: true, force: true });
  });

  it('resumes the upload on the next start: one object, byte-identical, marked done, local copy pruned after verification', async () => {
    const child = spawn(process.execPath, ['--import', 'tsx', CHILD, dataDir, proxy.url, String(SIZE)], {
      env: { ...process.env, ...ENV },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    const exited = once(child, 'exit');
    const firstLine = (await createInterface({ input: child.stdout! })[Symbol.asyncIterator]().next()).value as string;
    const [, id, sha256] = firstLine.split(' ');
    await proxy.whenBytesIn(20 * MB); // some parts are up, the upload is not complete
    child.kill('SIGKILL');
    await exited;
    expect(proxy.requests.some((r) => r.method === 'POST' && /uploadId=/.test(r.url)), 'the upload completed before the kill').toBe(false);

    const services = openLocalServices(dataDir, { env: ENV });
    try {
      expect(services.storage.upload(id, 'big.bin')).toMatchObject({ state: 'pending' });
      const done = new Promise((resolve) => services.storage.onUpload(resolve));
      services.storage.start();
      expect(await done).toMatchObject({ trajectoryId: id, path: 'big.bin', ok: true });
      expect(services.storage.upload(id, 'big.bin')).toMatchObject({ state: 'done', localPruned: true });
      expect(existsSync(path.join(dataDir, 'artifacts', id, 'big.bin'))).toBe(false);

      const client = new S3Client({ endpoint: s3.url, region: 'us-east-1', forcePathStyle: true, credentials: { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' } });
      const listed = await client.send(new ListObjectsV2Command({ Bucket: 'artifacts', Prefix: 'crash/' }));
      expect((listed.Contents ?? []).map((o) => [o.Key, o.Size])).toEqual([[`crash/artifacts/${id}/big.bin`, SIZE]]);
      const body = (await client.send(new GetObjectCommand({ Bucket: 'artifacts', Key: `crash/artifacts/${id}/big.bin` }))).Body as Readable;
      expect(await hashStream(body)).toEqual({ sha256, size: SIZE });
    } finally {
      await services.close();
    }
  });
});
