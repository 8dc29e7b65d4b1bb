import { randomBytes } from 'node:crypto';
import { Readable } from 'node:stream';
import type { ConnectionTest } from '../../../shared/storage';
import { describeStorageError } from './errors';
import { hashStream } from './hashing';
import type { StorageBackend } from './types';
import { StorageError } from './types';

/**
 * "Test connection": writes a small probe object, reads it back, compares, deletes it.
 * Reports the exact failure (bad credentials, no bucket, no network, clock skew) and
 * where, never a credential.
 */
export async function probeBackend(open: () => StorageBackend): Promise<ConnectionTest> {
  const key = `.jetty-probe/${randomBytes(8).toString('hex')}`;
  const started = performance.now();
  let backend: StorageBackend | null = null;
  try {
    backend = open();
    const body = randomBytes(64);
    const expected = await hashStream(Readable.from([body]));
    await backend.put(key, Readable.from([body]), { size: body.length, sha256: expected.sha256 });
    const back = await hashStream(await backend.get(key));
    if (back.sha256 !== expected.sha256) throw new StorageError('refused', `${backend.describe(key)}: the probe object read back differs from what was written`);
    await backend.delete(key);
    return { ok: true, location: backend.describe(''), millis: Math.round(performance.now() - started) };
  } catch (error) {
    const failure = describeStorageError(error, backend?.describe('') ?? 'storage');
    return { ok: false, location: backend?.describe('') ?? '', failure: failure.failure, message: failure.message };
  }
}
