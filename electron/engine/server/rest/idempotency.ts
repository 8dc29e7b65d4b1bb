import { TRAJECTORY_ID_HEADER } from '../../proxy/passthrough';
import { sendError, sendJson } from '../../http/respond';
import { type Route } from '../router';

/** How many keys are remembered, and for how long: a client retries within minutes, not days. */
const MAX_KEYS = 10_000;
const KEEP_MS = 24 * 3600_000;

interface Remembered {
  at: number;
  /** Still being answered: a concurrent retry is told to wait. */
  inFlight: boolean;
  status?: number;
  body?: unknown;
  trajectoryId?: string;
}

/**
 * `Idempotency-Key` on POST routes: a request repeated with the same key (a client
 * retrying after a lost answer) gets the first answer again instead of doing the work
 * twice: the same JSON, or for a streamed run its trajectory id. A first request that
 * failed is forgotten, so its retry runs. Keys are kept in memory, per method and path.
 */
export function withIdempotency(routes: Route[]): Route[] {
  const seen = new Map<string, Remembered>();
  const forgetOld = (now: number) => {
    for (const [key, entry] of seen) {
      if (seen.size <= MAX_KEYS && now - entry.at < KEEP_MS) break;
      seen.delete(key);
    }
  };
  return routes.map((route) =>
    route.method !== 'POST'
      ? route
      : {
          ...route,
          async handle(ctx) {
            const header = ctx.req.headers['idempotency-key'];
            const key = typeof header === 'string' && header.length > 0 && header.length <= 256 ? `${ctx.url.pathname}\0${header}` : null;
            if (!key) return route.handle(ctx);
            const earlier = seen.get(key);
            if (earlier?.inFlight) return sendError(ctx.res, 409, 'conflict', 'a request with this Idempotency-Key is still being answered; retry shortly');
            if (earlier?.body !== undefined) return sendJson(ctx.res, earlier.status ?? 200, earlier.body);
            if (earlier?.trajectoryId) {
              ctx.res.setHeader(TRAJECTORY_ID_HEADER, earlier.trajectoryId);
              return sendJson(ctx.res, 200, { trajectory_id: earlier.trajectoryId, workflow_id: earlier.trajectoryId, replayed: true });
            }
            const now = Date.now();
            forgetOld(now);
            const entry: Remembered = { at: now, inFlight: true };
            seen.set(key, entry);
            const setHeader = ctx.res.setHeader.bind(ctx.res);
            ctx.res.setHeader = (name, value) => {
              if (String(name).toLowerCase() === TRAJECTORY_ID_HEADER.toLowerCase()) {
                // A streamed run is known by its id from here on: a retry gets the id, not a second run.
                entry.trajectoryId = String(value);
                entry.inFlight = false;
              }
              return setHeader(name, value);
            };
            const json = ctx.json;
            try {
              await route.handle({
                ...ctx,
                json: (status, value) => {
                  if (status < 400) Object.assign(entry, { status, body: value });
                  json(status, value);
                },
              });
            } finally {
              entry.inFlight = false;
              if (ctx.res.statusCode >= 400 || (entry.body === undefined && !entry.trajectoryId)) seen.delete(key);
            }
          },
        },
  );
}
