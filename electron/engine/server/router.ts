import type { IncomingMessage, ServerResponse } from 'node:http';
import type { ZodType } from 'zod';
import { readBody } from '../http/read-body';
import { answerError, sendError, sendJson } from '../http/respond';

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
  /**
   * What a `:param` must look like for the route to fit (e.g. an evaluation id's pattern), so a
   * request it does not fit goes to the next route that fits: `/evaluations/demo/cancel` is
   * the task `cancel` of `demo`, not the evaluation `demo` cancelled.
   */
  params?: Record<string, RegExp>;
  /** What `/openapi.json` says of it (openapi.ts): a summary, the JSON body schema it validates with, its query parameters. */
  doc?: RouteDoc;
}

export interface RouteDoc {
  summary?: string;
  /** The schema the route validates its JSON body with (the same one: see `restWithBody`). */
  body?: ZodType;
  /** Its body is multipart/form-data with these fields. */
  form?: string[];
  query?: string[];
  /** The status of a success, when not 200. */
  status?: number;
}

/** Matches a request path, already split into its segments, against one route's path. */
type PathMatcher = (got: readonly string[]) => Record<string, string> | null;

const segmentsOf = (pathname: string): string[] => pathname.split('/').filter(Boolean);

/** Turns a route path into a matcher (the pattern is split once, not per request); `shapes` are its params' patterns. */
function compilePath(pattern: string, shapes: Record<string, RegExp> = {}): PathMatcher {
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
        const name = want[i].slice(1);
        try {
          params[name] = decodeURIComponent(got[i]);
        } catch {
          return null;
        }
        if (shapes[name] && !shapes[name].test(params[name])) return null;
      } else if (want[i] !== got[i]) return null;
    }
    return params;
  };
}

/** How specific a route's path is, segment by segment: a literal 2, a `:param` 1, a `*rest` 0. */
const specificity = (pattern: string): number[] => segmentsOf(pattern).map((s) => (s.startsWith('*') ? 0 : s.startsWith(':') ? 1 : 2));

/** Orders two routes' specificities: the one with the more specific segment at the first difference first. */
function bySpecificity(a: readonly number[], b: readonly number[]): number {
  for (let i = 0; i < Math.max(a.length, b.length); i++) {
    const d = (b[i] ?? -1) - (a[i] ?? -1);
    if (d !== 0) return d;
  }
  return 0;
}

/**
 * Finds and runs the route for a request: of the routes whose path and method fit, the most
 * specific (`/evaluations/:id/cancel` over `/evaluations/:collection/:task`, whatever their
 * order, when the id looks like one); answers 404/405 in JSON when none fits. Whatever
 * a handler throws becomes a JSON error (see `answerError`), and a request stream error
 * (a client that goes away mid-body) is always handled.
 */
export function createRouter(routes: Route[], maxBodyBytes: number) {
  const compiled = routes
    .map((route) => ({ route, match: compilePath(route.path, route.params), rank: specificity(route.path) }))
    // A stable sort: routes alike in specificity keep their order.
    .sort((a, b) => bySpecificity(a.rank, b.rank));
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
      res.setHeader('Allow', [...new Set(candidates.map((c) => c.route.method))].join(', '));
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
