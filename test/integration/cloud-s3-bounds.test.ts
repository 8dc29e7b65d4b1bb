import { afterEach, describe, expect, it } from 'vitest';
import { FLAVOURS } from '../../electron/engine/storage/flavours';
import { MAX_S3_ANSWER_BYTES, s3Backend } from '../../electron/engine/storage/s3';
import { startHostileServer, streamHuge, type HostileServer } from '../helpers/hostile-http';

/** What the engine may take of one answer: its bound plus what socket buffers hold (a few MiB on loopback). */
const SLACK = 8 * 1024 * 1024;
const HUGE = 64 * 1024 * 1024;

describe('a malicious S3 endpoint cannot make the engine read a huge answer', () => {
  let server: HostileServer | null = null;
  afterEach(async () => {
    await server?.close();
    server = null;
  });

  const backend = (url: string) => {
    const settings = { backend: 's3' as const, bucket: 'b', prefix: '', endpoint: url, region: 'us-east-1', forcePathStyle: true };
    return s3Backend('s3', settings as never, FLAVOURS.s3(settings as never, {}), { accessKeyId: 'AKIAEXAMPLE', secretAccessKey: 'secret' });
  };

  it('a 64 MB error body: the engine reads only its first bytes, fails with the status, and stays small', async () => {
    server = await startHostileServer(async (_req, res, count) => {
      res.writeHead(500, { 'content-type': 'application/xml' });
      res.write('<?xml version="1.0"?><Error><Code>InternalError</Code><Message>');
      await streamHuge(res, HUGE, count);
    });
    const rss = process.memoryUsage().rss;
    const failure = await backend(server.url).list('', 10).catch((e: Error) => e);
    expect(failure).toBeInstanceOf(Error);
    expect((failure as Error).message).toMatch(/HTTP 500/);
    expect(server.sent.length).toBeGreaterThan(0);
    for (const bytes of server.sent) expect(bytes).toBeLessThan(SLACK);
    expect(process.memoryUsage().rss - rss).toBeLessThan(200 * 1024 * 1024);
  }, 60_000);

  it('a 64 MB list answer: refused as too large, not parsed', async () => {
    server = await startHostileServer(async (_req, res, count) => {
      res.writeHead(200, { 'content-type': 'application/xml' });
      res.write('<?xml version="1.0"?><ListBucketResult><Name>');
      await streamHuge(res, HUGE, count);
    });
    const failure = await backend(server.url).list('', 10).catch((e: Error) => e);
    expect((failure as Error).message).toMatch(new RegExp(`larger than ${MAX_S3_ANSWER_BYTES} bytes`));
    for (const bytes of server.sent) expect(bytes).toBeLessThan(MAX_S3_ANSWER_BYTES + SLACK);
  }, 60_000);

  it("an object's own bytes are not bounded: a GetObject of 20 MB streams whole", async () => {
    const size = 20 * 1024 * 1024;
    server = await startHostileServer(async (_req, res, count) => {
      res.writeHead(200, { 'content-type': 'application/octet-stream', 'content-length': String(size) });
      await streamHuge(res, size, count);
    });
    let got = 0;
    for await (const chunk of await backend(server.url).get('k')) got += (chunk as Buffer).length;
    expect(got).toBe(size);
  }, 60_000);
});
