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

/** Each kind of upload the child can queue: where its record, local copy and object are. */
const KINDS = {
  artifact: {
    record: (services: ReturnType<typeof openLocalServices>, key: string) => services.storage.upload(key, 'big.bin'),
    localFile: (dataDir: string, key: string) => path.join(dataDir, 'artifacts', key, 'big.bin'),
    objectKey: (key: string) => `crash/artifacts/${key}/big.bin`,
    attempt: (key: string) => ({ kind: 'artifact', trajectoryId: key, path: 'big.bin', ok: true }),
  },
  input: {
    record: (services: ReturnType<typeof openLocalServices>, key: string) => services.storage.inputUpload(key),
    localFile: (dataDir: string, key: string) => path.join(dataDir, 'files', key),
    objectKey: (key: string) => `crash/files/${key}`,
    attempt: (key: string) => ({ kind: 'input', trajectoryId: '', path: key, ok: true }),
  },
};

describe.each(Object.keys(KINDS) as (keyof typeof KINDS)[])('an engine killed (SIGKILL) mid-upload of an %s', (kind) => {
  const where = KINDS[kind];
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
    const child = spawn(process.execPath, ['--import', 'tsx', CHILD, dataDir, proxy.url, String(SIZE), kind], {
      env: { ...process.env, ...ENV },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    const exited = once(child, 'exit');
    const firstLine = (await createInterface({ input: child.stdout! })[Symbol.asyncIterator]().next()).value as string;
    const [, key, sha256] = firstLine.split(' ');
    await proxy.whenBytesIn(20 * MB); // some parts are up, the upload is not complete
    child.kill('SIGKILL');
    await exited;
    expect(proxy.requests.some((r) => r.method === 'POST' && /uploadId=/.test(r.url)), 'the upload completed before the kill').toBe(false);

    const services = openLocalServices(dataDir, { env: ENV });
    try {
      expect(where.record(services, key)).toMatchObject({ state: 'pending' });
      const done = new Promise((resolve) => services.storage.onUpload(resolve));
      services.storage.start();
      expect(await done).toMatchObject(where.attempt(key));
      expect(where.record(services, key)).toMatchObject({ state: 'done', localPruned: true });
      expect(existsSync(where.localFile(dataDir, key))).toBe(false);

      const client = new S3Client({ endpoint: s3.url, region: 'us-east-1', forcePathStyle: true, credentials: { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' } });
      const listed = await client.send(new ListObjectsV2Command({ Bucket: 'artifacts', Prefix: 'crash/' }));
      expect((listed.Contents ?? []).map((o) => [o.Key, o.Size])).toEqual([[where.objectKey(key), SIZE]]);
      const body = (await client.send(new GetObjectCommand({ Bucket: 'artifacts', Key: where.objectKey(key) }))).Body as Readable;
      expect(await hashStream(body)).toEqual({ sha256, size: SIZE });
    } finally {
      await services.close();
    }
  });
});
