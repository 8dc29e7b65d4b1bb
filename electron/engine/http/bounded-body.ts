import { Transform, type Readable } from 'node:stream';

/** A body as an HTTP client hands it over: a Node stream, or any async iterable of bytes. */
export type BodySource = AsyncIterable<Uint8Array | string> & { destroy?(error?: Error): unknown };

/**
 * Reads at most `maxBytes` of a body that another party controls (an error body, a JSON
 * answer), then stops: the rest is never read, the stream is destroyed (its connection
 * closed), so a huge or endless body costs at most `maxBytes` of memory. `truncated` says
 * whether there was more.
 */
export async function readAtMost(body: BodySource, maxBytes: number): Promise<{ bytes: Buffer; truncated: boolean }> {
  const chunks: Buffer[] = [];
  let size = 0;
  try {
    for await (const chunk of body) {
      const bytes = typeof chunk === 'string' ? Buffer.from(chunk) : Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
      if (size + bytes.length > maxBytes) {
        chunks.push(bytes.subarray(0, maxBytes - size));
        body.destroy?.();
        return { bytes: Buffer.concat(chunks), truncated: true };
      }
      chunks.push(bytes);
      size += bytes.length;
    }
  } catch (error) {
    body.destroy?.();
    throw error;
  }
  return { bytes: Buffer.concat(chunks), truncated: false };
}

/** `readAtMost` as text (UTF-8; a character cut at the bound is dropped). */
export async function readTextAtMost(body: BodySource, maxBytes: number): Promise<{ text: string; truncated: boolean }> {
  const { bytes, truncated } = await readAtMost(body, maxBytes);
  return { text: new TextDecoder().decode(bytes).replace(/\uFFFD$/, ''), truncated };
}

/**
 * A stream that passes on at most `maxBytes` of `source` and then ends (or fails with
 * `tooLong()` when given), destroying `source`: for a body some other code reads whole
 * (an SDK's parser), so it reads a bounded prefix instead.
 */
export function truncateAfter(source: Readable, maxBytes: number, tooLong?: () => Error): Readable {
  let size = 0;
  const limited = new Transform({
    transform(chunk: Buffer, _encoding, done) {
      if (size >= maxBytes) return done();
      const room = maxBytes - size;
      size += chunk.length;
      if (chunk.length <= room) return done(null, chunk);
      source.unpipe(limited);
      source.destroy();
      if (tooLong) return done(tooLong());
      this.push(chunk.subarray(0, room));
      this.push(null);
      done();
    },
  });
  source.once('error', (error) => limited.destroy(error));
  return source.pipe(limited);
}
