import { mkdtemp, rm } from 'node:fs/promises';
import { createServer, request, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import S3rver from 's3rver';
// s3rver's account registry: the keys it accepts (S3RVER/S3RVER out of the box).
import AWSAccount from 's3rver/lib/models/account.js';

export interface S3Server {
  /** `http://127.0.0.1:<port>` */
  url: string;
  port: number;
  directory: string;
  /** Stops answering (the port is free again); `start` brings it back on the same port and data. */
  stop(): Promise<void>;
  start(): Promise<void>;
  close(): Promise<void>;
}

/** Lets s3rver accept this key pair (beside S3RVER/S3RVER). */
export function allowS3Keys(accessKeyId: string, secretAccessKey: string): void {
  (AWSAccount as unknown as { DUMMY_ACCOUNT: { createKeyPair(id: string, secret: string): void } }).DUMMY_ACCOUNT.createKeyPair(accessKeyId, secretAccessKey);
}

/** A real S3-compatible server (s3rver) on 127.0.0.1, a random port and a temp folder, with `buckets` created. */
export async function startS3Server(buckets: string[], port = 0): Promise<S3Server> {
  const directory = await mkdtemp(path.join(os.tmpdir(), 'jetty-s3rver-'));
  let server: S3rver | null = null;
  let bound = port;
  const start = async () => {
    server = new S3rver({ port: bound, address: '127.0.0.1', directory, silent: true, configureBuckets: buckets.map((name) => ({ name })) });
    bound = ((await server.run()) as AddressInfo).port;
  };
  await start();
  const stop = async () => {
    // A client's connection left open (a keep-alive socket, or an upload whose sender was killed)
    // would keep close() waiting for ever: end them all first.
    server?.httpServer?.closeAllConnections();
    await server?.close();
    server = null;
  };
  return {
    get url() {
      return `http://127.0.0.1:${bound}`;
    },
    get port() {
      return bound;
    },
    directory,
    stop,
    start,
    async close() {
      await stop();
      await rm(directory, { recursive: true, force: true });
    },
  };
}

export interface RecordingProxy {
  url: string;
  /** Every request's method, path and headers, in order. */
  requests: { method: string; url: string; headers: IncomingHttpHeaders }[];
  /** Request body bytes forwarded so far. */
  bytesIn(): number;
  /** Resolves once at least `n` request body bytes went through. */
  whenBytesIn(n: number): Promise<void>;
  close(): Promise<void>;
}

/** An HTTP proxy on 127.0.0.1 in front of `target` that records what clients send (headers, body sizes). */
export async function startRecordingProxy(target: () => string): Promise<RecordingProxy> {
  const requests: RecordingProxy['requests'] = [];
  let bytes = 0;
  const waiters: { n: number; resolve(): void }[] = [];
  const server: Server = createServer((req, res) => {
    requests.push({ method: req.method ?? '', url: req.url ?? '', headers: req.headers });
    const upstream = new URL(target());
    const out = request({ host: upstream.hostname, port: upstream.port, method: req.method, path: req.url, headers: { ...req.headers, host: upstream.host } }, (answer) => {
      res.writeHead(answer.statusCode ?? 502, answer.headers);
      answer.pipe(res);
    });
    out.on('error', () => res.destroy());
    // A client that goes away mid-body (an engine killed mid-upload) must not leave its half-sent
    // request open at the server, which would then wait for the rest for ever and never close.
    req.on('close', () => {
      if (!req.complete) out.destroy();
    });
    req.on('data', (chunk: Buffer) => {
      bytes += chunk.length;
      for (const w of waiters.filter((x) => bytes >= x.n)) {
        waiters.splice(waiters.indexOf(w), 1);
        w.resolve();
      }
    });
    req.pipe(out);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    requests,
    bytesIn: () => bytes,
    whenBytesIn: (n) => (bytes >= n ? Promise.resolve() : new Promise<void>((resolve) => waiters.push({ n, resolve }))),
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
