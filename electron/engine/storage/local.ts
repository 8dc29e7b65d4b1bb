import { randomBytes } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { mkdir, readdir, rename, rm, stat } from 'node:fs/promises';
import path from 'node:path';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { checkKey } from './keys';
import { StorageError, type ByteRange, type ObjectInfo, type PutOptions, type StorageBackend } from './types';

const missing = (error: unknown) => (error as NodeJS.ErrnoException).code === 'ENOENT';

/**
 * The data folder as a backend (the default, and the embedded choice): a key is a file
 * under `root`. Writes go to a temp file beside the destination and are renamed in, so
 * a reader never sees half an object.
 */
export function localBackend(root: string): StorageBackend {
  const fileOf = (key: string) => path.join(root, ...checkKey(key).split('/'));

  async function walk(dir: string, relative: string, prefix: string, out: ObjectInfo[], limit: number): Promise<void> {
    const entries = await readdir(dir, { withFileTypes: true }).catch((error: unknown) => (missing(error) ? [] : Promise.reject(error)));
    for (const entry of entries.sort((a, b) => a.name.localeCompare(b.name))) {
      if (out.length >= limit) return;
      const key = relative ? `${relative}/${entry.name}` : entry.name;
      if (!key.startsWith(prefix) && !prefix.startsWith(`${key}/`)) continue;
      if (entry.isDirectory()) await walk(path.join(dir, entry.name), key, prefix, out, limit);
      else if (entry.isFile() && !entry.name.includes('.upload-')) out.push({ key, size: (await stat(path.join(dir, entry.name))).size });
    }
  }

  return {
    name: 'local',
    describe: (key) => (key ? fileOf(key) : root),
    async put(key: string, body: Readable, options: PutOptions) {
      const file = fileOf(key);
      await mkdir(path.dirname(file), { recursive: true });
      const temp = `${file}.upload-${randomBytes(4).toString('hex')}`;
      try {
        await pipeline(body, createWriteStream(temp), { signal: options.signal });
        await rename(temp, file);
      } catch (error) {
        await rm(temp, { force: true });
        throw error;
      }
    },
    async get(key: string, range?: ByteRange) {
      const file = fileOf(key);
      await stat(file).catch((error: unknown) => {
        throw missing(error) ? new StorageError('not_found', `no object ${key}`) : error;
      });
      return createReadStream(file, range ? { start: range.start, end: range.end } : {});
    },
    async head(key: string) {
      const info = await stat(fileOf(key)).catch((error: unknown) => (missing(error) ? null : Promise.reject(error)));
      return info?.isFile() ? { key, size: info.size } : null;
    },
    async list(prefix: string, limit: number) {
      const out: ObjectInfo[] = [];
      await walk(root, '', prefix, out, limit);
      return out;
    },
    delete: (key: string) => rm(fileOf(key), { force: true }),
  };
}
