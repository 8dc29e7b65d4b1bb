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

const headerValue = (req: IncomingMessage, name: string): string | null => {
  const value = req.headers[name];
  return typeof value === 'string' && value.trim() !== '' ? value.trim() : null;
};

/**
 * The token a request carries, as each SDK sends its key: `Authorization: Bearer …`
 * (OpenAI's and most clients), `x-api-key` (Anthropic's), `x-goog-api-key` (Google's), or
 * Gemini's `?key=` on its own paths (`/v1beta/…`); `?token=` when allowed (WebSocket).
 */
export function tokenOf(req: IncomingMessage, allowQuery: boolean): string | null {
  const header = req.headers.authorization;
  const bearer = header?.match(/^Bearer\s+(\S+)\s*$/i);
  if (bearer) return bearer[1];
  const sdkHeader = headerValue(req, 'x-api-key') ?? headerValue(req, 'x-goog-api-key');
  if (sdkHeader) return sdkHeader;
  const url = new URL(req.url ?? '/', 'http://localhost');
  if (url.pathname.startsWith('/v1beta/') && url.searchParams.has('key')) return url.searchParams.get('key');
  if (!allowQuery) return null;
  return url.searchParams.get('token');
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
      return { status: 401, message: 'missing API token: send Authorization: Bearer <token> (or x-api-key, or x-goog-api-key)' };
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
