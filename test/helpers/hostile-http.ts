import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A loopback HTTP server that answers as the test tells it, and counts what it managed to
 * send: a hostile remote Jetty or S3 endpoint. `huge` streams a body of `bytes` bytes while
 * the client reads it (respecting backpressure), so `sent` shows how much the client took.
 */
export interface HostileServer {
  url: string;
  /** Requests seen, in order (method and path). */
  requests: { method: string; path: string }[];
  /** Bytes written per response, in request order (what the client accepted before it stopped reading). */
  sent: number[];
  close(): Promise<void>;
}

export type Answer = (req: IncomingMessage, res: ServerResponse, count: (n: number) => void) => unknown;

/** Streams `bytes` of `fill` (64 KiB writes) as the body, stopping when the client goes away. */
export async function streamHuge(res: ServerResponse, bytes: number, count: (n: number) => void, fill = 'x'): Promise<void> {
  const chunk = Buffer.alloc(64 * 1024, fill);
  let left = bytes;
  while (left > 0 && !res.destroyed) {
    const piece = left >= chunk.length ? chunk : chunk.subarray(0, left);
    left -= piece.length;
    count(piece.length);
    if (!res.write(piece)) {
      const gone = await new Promise<boolean>((resolve) => {
        const onDrain = () => done(false);
        const onClose = () => done(true);
        const done = (closed: boolean) => {
          res.off('drain', onDrain);
          res.off('close', onClose);
          resolve(closed);
        };
        res.once('drain', onDrain);
        res.once('close', onClose);
      });
      if (gone) return;
    }
  }
  res.end();
}

export async function startHostileServer(answer: Answer): Promise<HostileServer> {
  const requests: HostileServer['requests'] = [];
  const sent: number[] = [];
  const server = createServer((req, res) => {
    const index = sent.push(0) - 1;
    requests.push({ method: req.method ?? '', path: req.url ?? '' });
    req.resume();
    Promise.resolve(answer(req, res, (n) => (sent[index] += n))).catch(() => res.destroy());
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    requests,
    sent,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
