import { timingSafeEqual, createHash } from 'node:crypto';
import type { IncomingMessage } from 'node:http';

/** A refusal: the HTTP status and a message safe to show the caller. */
export interface Refusal {
  status: 400 | 401 | 403 | 413;
  message: string;
}

const LOCAL_HOSTS = ['127.0.0.1', 'localhost'];

const digest = (secret: string) => createHash('sha256').update(secret).digest();

/**
 * A constant-time check against one secret (both sides hashed first, so lengths leak
 * nothing either); the secret's digest is computed once, not per request.
 */
export function secretMatcher(expected: string): (given: string) => boolean {
  const want = digest(expected);
  return (given) => timingSafeEqual(digest(given), want);
}

/** The token a request carries: `Authorization: Bearer …`, or `?token=` when allowed (WebSocket). */
export function tokenOf(req: IncomingMessage, allowQuery: boolean): string | null {
  const header = req.headers.authorization;
  const bearer = header?.match(/^Bearer\s+(\S+)\s*$/i);
  if (bearer) return bearer[1];
  if (!allowQuery) return null;
  return new URL(req.url ?? '/', 'http://localhost').searchParams.get('token');
}

/**
 * Guards every request to the local server against DNS rebinding (foreign `Host`) and
 * cross-site calls (foreign `Origin`), and checks the API token where one is needed.
 * `port` is read lazily because a server bound to port 0 learns its port after listen.
 */
export function createRequestGuard(options: { token: string; port: () => number }) {
  const isToken = secretMatcher(options.token);
  let known = { port: -1, hosts: [] as string[], origins: [] as string[] };
  /** The allowed `Host` and `Origin` values, made again only when the port changes. */
  const allowed = () => {
    const port = options.port();
    if (known.port !== port) {
      const hosts = LOCAL_HOSTS.map((h) => `${h}:${port}`);
      known = { port, hosts, origins: hosts.map((h) => `http://${h}`) };
    }
    return known;
  };

  function checkSameSite(req: IncomingMessage): Refusal | null {
    const { hosts, origins } = allowed();
    const host = req.headers.host?.toLowerCase();
    if (!host || !hosts.includes(host)) {
      return { status: 403, message: `refused: Host must be one of ${hosts.join(', ')}` };
    }
    const origin = req.headers.origin;
    if (origin !== undefined && !origins.includes(origin.toLowerCase())) {
      return { status: 403, message: 'refused: requests from other origins are not allowed' };
    }
    return null;
  }

  function checkToken(req: IncomingMessage, allowQuery: boolean): Refusal | null {
    const given = tokenOf(req, allowQuery);
    if (given === null) {
      return { status: 401, message: 'missing API token: send Authorization: Bearer <token>' };
    }
    if (!isToken(given)) return { status: 401, message: 'wrong API token' };
    return null;
  }

  return {
    /** Host/Origin checks for every request, plus the token for API paths. */
    check(req: IncomingMessage, opts: { needsToken: boolean; allowQueryToken?: boolean }): Refusal | null {
      return checkSameSite(req) ?? (opts.needsToken ? checkToken(req, opts.allowQueryToken ?? false) : null);
    },
  };
}
export type RequestGuard = ReturnType<typeof createRequestGuard>;

/** How much of a refused body is read and dropped before the refusal is sent; past it, or after a second without a byte, the refusal goes at once. */
const DRAIN_BYTES = 64 * 1024 * 1024;
const DRAIN_IDLE_MS = 1000;

/**
 * Refuses an oversized body once the client has finished sending it (bounded, see
 * DRAIN_BYTES). A client writes its whole body before it reads the answer; a refusal sent
 * earlier ends the connection under it, and it sees a broken pipe instead of the 413.
 */
function refuseOnceDrained(req: IncomingMessage, limit: number): Promise<never> {
  return new Promise((_, reject) => {
    let drained = 0;
    let idle: NodeJS.Timeout | undefined;
    const refuse = () => {
      clearTimeout(idle);
      req.off('data', onData).off('end', refuse).off('close', refuse);
      req.resume();
      reject(new BodyTooLargeError(limit));
    };
    const onData = (chunk: Buffer) => {
      drained += chunk.length;
      clearTimeout(idle);
      if (drained > DRAIN_BYTES || req.readableEnded) return refuse();
      idle = setTimeout(refuse, DRAIN_IDLE_MS);
    };
    if (req.readableEnded || req.destroyed) return refuse();
    req.on('data', onData).on('end', refuse).on('close', refuse);
    idle = setTimeout(refuse, DRAIN_IDLE_MS);
  });
}

/**
 * Reads a request body up to `limit` bytes; a larger body is refused with 413 once the
 * client has sent it (what is left of it is discarded, so the refusal reaches the client).
 * A client that goes away mid-body rejects it (RequestAbortedError) instead of leaving it
 * pending.
 */
export function readBody(req: IncomingMessage, limit: number): Promise<Buffer> {
  if (Number(req.headers['content-length'] ?? 0) > limit) return refuseOnceDrained(req, limit);
  if (req.destroyed && !req.readableEnded) return Promise.reject(new RequestAbortedError());
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size <= limit) return void chunks.push(chunk);
      stop();
      refuseOnceDrained(req, limit).catch(reject);
    };
    const onEnd = () => {
      stop();
      resolve(chunks.length === 1 ? chunks[0] : Buffer.concat(chunks));
    };
    const onError = (error: Error) => {
      stop();
      reject(error);
    };
    const onClose = () => onError(new RequestAbortedError());
    const stop = () => {
      req.off('data', onData);
      req.off('end', onEnd);
      req.off('error', onError);
      req.off('close', onClose);
    };
    req.on('data', onData);
    req.on('end', onEnd);
    req.on('error', onError);
    req.on('close', onClose);
  });
}

/** The client closed the connection before its request body ended. */
export class RequestAbortedError extends Error {
  readonly status = 400;
  constructor() {
    super('the request was aborted before its body ended');
    this.name = 'RequestAbortedError';
  }
}

export class BodyTooLargeError extends Error {
  readonly status = 413;
  constructor(limit: number) {
    super(`request body is larger than ${limit} bytes`);
    this.name = 'BodyTooLargeError';
  }
}
