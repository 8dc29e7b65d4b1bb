import http from 'node:http';
import type { AddressInfo } from 'node:net';

/** One scripted answer instead of forwarding: a status (with headers), or the answer swallowed after the remote did the work. */
export type Fault = { status: number; headers?: Record<string, string>; body?: string } | { swallow: true };

export interface LoggedRequest {
  method: string;
  path: string;
  at: number;
  /** What the proxy did: forwarded, or the fault's status / 'swallowed'. */
  outcome: number | 'forwarded' | 'swallowed';
  body: string;
}

/**
 * A real HTTP server on 127.0.0.1 in front of a remote Jetty: forwards requests, or
 * answers the faults queued for matching requests (429, 500, 401…, or a swallowed
 * answer), and can go down (connections refused) and come back on the same port.
 */
export async function startFaultProxy(target: string) {
  const faults: { match: (m: string, p: string) => boolean; fault: Fault }[] = [];
  const log: LoggedRequest[] = [];
  const sockets = new Set<import('node:net').Socket>();
  const handler = (req: http.IncomingMessage, res: http.ServerResponse) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks);
      const entry: LoggedRequest = { method: req.method!, path: req.url!, at: Date.now(), outcome: 'forwarded', body: body.toString('latin1') };
      log.push(entry);
      const i = faults.findIndex((f) => f.match(req.method!, req.url!));
      const fault = i >= 0 ? faults.splice(i, 1)[0].fault : null;
      if (fault && 'status' in fault) {
        entry.outcome = fault.status;
        res.writeHead(fault.status, { 'content-type': 'application/json', ...fault.headers });
        return res.end(fault.body ?? JSON.stringify({ error: { code: 'fault', message: `scripted ${fault.status}` } }));
      }
      const headers = { ...req.headers, host: new URL(target).host };
      delete headers.origin;
      const upstream = http.request(`${target}${req.url}`, { method: req.method, headers }, (up) => {
        if (fault) {
          // The remote did the work; its answer never reaches the client.
          entry.outcome = 'swallowed';
          up.resume();
          up.on('end', () => req.socket.destroy());
          return;
        }
        res.writeHead(up.statusCode!, up.headers);
        up.pipe(res);
      });
      upstream.on('error', () => res.destroy());
      upstream.end(body);
    });
  };
  let server = http.createServer(handler);
  server.on('connection', (s) => (sockets.add(s), s.on('close', () => sockets.delete(s))));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  let up = true;
  return {
    url: `http://127.0.0.1:${port}`,
    log,
    /** Answers the next request that matches with `fault` (once per call). */
    fault(method: string, pathPrefix: string, fault: Fault) {
      faults.push({ match: (m, p) => m === method && p.startsWith(pathPrefix), fault });
    },
    /** Stops listening: connections are refused until `up()`. */
    async down() {
      if (!up) return;
      up = false;
      for (const s of sockets) s.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
    async up() {
      if (up) return;
      server = http.createServer(handler);
      server.on('connection', (s) => (sockets.add(s), s.on('close', () => sockets.delete(s))));
      await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
      up = true;
    },
    close: async function () {
      await this.down();
    },
  };
}
export type FaultProxy = Awaited<ReturnType<typeof startFaultProxy>>;
