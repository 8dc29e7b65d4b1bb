import { createHash } from 'node:crypto';
import type { Readable } from 'node:stream';

/** The sha256 (hex) and length of a stream's bytes, read chunk by chunk. */
export async function hashStream(stream: Readable): Promise<{ sha256: string; size: number }> {
  const hash = createHash('sha256');
  let size = 0;
  for await (const chunk of stream) {
    hash.update(chunk as Buffer);
    size += (chunk as Buffer).length;
  }
  return { sha256: hash.digest('hex'), size };
}
