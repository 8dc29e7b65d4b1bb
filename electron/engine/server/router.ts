import type { IncomingMessage, ServerResponse } from 'node:http';
import { readBody } from './security';

/** What a route handler gets: the request, helpers to read and answer, and path params. */
export interface RouteContext {
  req: IncomingMessage;
  res: ServerResponse;
  url: URL;
  params: Record<string, string>;
  /** The request body, size-limited (413 beyond the server's limit). */
  body(): Promise<Buffer>;
  json(status: number, value: unknown): void;
}

/**
 * One HTTP route under `/api`, `/v1`, `/v1beta` or `/mcp` (the token is checked before any route runs).
 * `path` segments starting with `:` capture a parameter, e.g. `/api/v1/tasks/:collection`;
 * a last segment `*name` captures the rest of the path (each segment decoded, joined by `/`).
 */
export interface Route {
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  path: string;
  handle(ctx: RouteContext): Promise<void> | void;
  /** No API token needed (Host/Origin are still checked), e.g. the step-template catalog. */
  public?: boolean;
  /** A smaller body limit than the server's, for routes whose work grows with the body. */
  maxBodyBytes?: number;
}

export function sendJson(res: ServerResponse, status: number, value: unknown): void {
  const body = JSON.stringify(value);
  res.writeHead(status, { 'Content-Type': 'application/json; charset=utf-8', 'Content-Length': Buffer.byteLength(body) });
  res.end(body);
}

export function sendError(res: ServerResponse, status: number, code: string, message: string): void {
  sendJson(res, status, { error: { code, message } });
}

const NO_SPACE = new Set(['ENOSPC', 'EDQUOT', 'SQLITE_FULL']);

/** Whether a file-system error says the disk (or the user's quota) is full. */
export const isNoSpace = (error: unknown): boolean => NO_SPACE.has((error as NodeJS.ErrnoException | null)?.code ?? '');

/**
 * An error's own HTTP status when it carries a valid 4xx/5xx one (`HttpError`,
 * `BodyTooLargeError`), 507 for a full disk wherever it happened, else 500.
 */
export function errorStatus(error: unknown): number {
  if (isNoSpace(error)) return 507;
  const status = (error as { status?: unknown } | null)?.status;
  return typeof status === 'number' && Number.isInteger(status) && status >= 400 && status <= 599 ? status : 500;
}

/**
 * An error's message for a client: a file-system error names the host paths it failed on
 * (the data folder's among them), which are not the client's to see; they are replaced by
 * `<file>`, keeping what failed and why ("ENAMETOOLONG: name too long, open '<file>'").
 */
export function withoutHostPaths(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const { path: file, dest } = error as NodeJS.ErrnoException & { dest?: string };
  let message = error.message;
  for (const p of [file, dest]) if (typeof p === 'string' && p) message = message.split(p).join('<file>');
  return message;
}

/**
 * The last answer to an error no handler answered: `{error: {code, message}}` with the
 * error's status (500 unless it carries one), or the connection cut when a response had
 * already started. Never throws.
 */
export function answerError(res: ServerResponse, error: unknown): void {
  const status = errorStatus(error);
  const text = withoutHostPaths(error);
  const message = isNoSpace(error) ? `the disk holding Jetty's data folder is full; free some space and try again (${text})` : text;
  if (res.headersSent || res.destroyed) return void res.destroy();
  try {
    sendError(res, status, status === 413 ? 'too_large' : status === 507 ? 'insufficient_storage' : 'failed', message);
  } catch {
    res.destroy();
  }
}

/** Matches a request path, already split into its segments, against one route's path. */
type PathMatcher = (got: readonly string[]) => Record<string, string> | null;

const segmentsOf = (pathname: string): string[] => pathname.split('/').filter(Boolean);

/** Turns a route path into a matcher (the pattern is split once, not per request). */
function compilePath(pattern: string): PathMatcher {
  const want = segmentsOf(pattern);
  const rest = want.at(-1)?.startsWith('*') ? want.length - 1 : -1;
  return (got) => {
    if (rest < 0 ? want.length !== got.length : got.length <= rest) return null;
    const params: Record<string, string> = {};
    for (let i = 0; i < want.length; i++) {
      if (i === rest) {
        try {
          params[want[i].slice(1)] = got.slice(i).map(decodeURIComponent).join('/');
        } catch {
          return null;
        }
      } else if (want[i].startsWith(':')) {
        try {
          params[want[i].slice(1)] = decodeURIComponent(got[i]);
        } catch {
          return null;
        }
      } else if (want[i] !== got[i]) return null;
    }
    return params;
  };
}

/**
 * Finds and runs the route for a request; answers 404/405 in JSON when none fits. Whatever
 * a handler throws becomes a JSON error (see `answerError`), and a request stream error
 * (a client that goes away mid-body) is always handled.
 */
export function createRouter(routes: Route[], maxBodyBytes: number) {
  const compiled = routes.map((route) => ({ route, match: compilePath(route.path) }));
  const publicRoutes = compiled.filter((c) => c.route.public);
  const route = async (req: IncomingMessage, res: ServerResponse, url: URL): Promise<void> => {
    req.on('error', () => undefined);
    const segments = segmentsOf(url.pathname);
    const candidates = compiled
      .map(({ route, match }) => ({ route, params: match(segments) }))
      .filter((c) => c.params !== null);
    if (candidates.length === 0) return sendError(res, 404, 'not_found', `no such endpoint: ${url.pathname}`);
    const hit = candidates.find((c) => c.route.method === req.method);
    if (!hit) {
      res.setHeader('Allow', candidates.map((c) => c.route.method).join(', '));
      return sendError(res, 405, 'method_not_allowed', `${req.method} is not allowed on ${url.pathname}`);
    }
    const bodyLimit = Math.min(maxBodyBytes, hit.route.maxBodyBytes ?? Infinity);
    try {
      await hit.route.handle({
        req,
        res,
        url,
        params: hit.params ?? {},
        body: () => readBody(req, bodyLimit),
        json: (status, value) => sendJson(res, status, value),
      });
    } catch (error) {
      answerError(res, error);
    }
  };
  /** Whether a request goes to a route that needs no token. */
  const isPublic = (method: string | undefined, pathname: string) => {
    const segments = segmentsOf(pathname);
    return publicRoutes.some((c) => c.route.method === method && c.match(segments) !== null);
  };
  return Object.assign(route, { isPublic });
}
