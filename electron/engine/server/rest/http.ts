import type { z } from 'zod';
import { StoreError } from '../../store';
import { parseJsonInput } from '../../http/json-input';
import { errorStatus, sendError } from '../../http/respond';
import { type Route, type RouteContext, type RouteDoc } from '../router';

export const API_PREFIX = '/api/v1';

/** A refusal with its HTTP status; the message is safe to show the caller. */
export class HttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
    this.name = 'HttpError';
  }
}

const CODES: Record<number, string> = {
  400: 'bad_request',
  403: 'forbidden',
  404: 'not_found',
  409: 'conflict',
  413: 'too_large',
  415: 'unsupported_media_type',
  422: 'invalid_input',
  501: 'not_implemented',
  507: 'insufficient_storage',
};

function statusOf(error: unknown): number {
  if (error instanceof HttpError) return error.status;
  if (error instanceof StoreError) return error.code === 'not_found' ? 404 : error.code === 'invalid_input' ? 422 : 500;
  return errorStatus(error);
}

/**
 * A JSON route under `/api/v1` whose errors become `{error: {code, message}}` with their
 * status; unexpected errors go on to the router, which answers them with a JSON 500.
 */
export function rest(
  method: Route['method'],
  path: string,
  handle: (ctx: RouteContext) => Promise<unknown>,
  options: { public?: boolean; status?: number; maxBodyBytes?: number; doc?: RouteDoc; params?: Route['params'] } = {},
): Route {
  return {
    method,
    path: `${API_PREFIX}${path}`,
    public: options.public,
    maxBodyBytes: options.maxBodyBytes,
    params: options.params,
    doc: { ...options.doc, ...(options.status ? { status: options.status } : {}) },
    async handle(ctx) {
      try {
        const value = await handle(ctx);
        if (!ctx.res.headersSent) ctx.json(options.status ?? 200, value);
      } catch (error) {
        const status = statusOf(error);
        if (status >= 500 && !(error instanceof HttpError)) throw error;
        if (!ctx.res.headersSent) sendError(ctx.res, status, CODES[status] ?? 'failed', (error as Error).message);
      }
    },
  };
}

/** A JSON route whose body is validated by `schema`, the same schema `/openapi.json` describes it with. */
export function restWithBody<S extends z.ZodType>(
  method: Route['method'],
  path: string,
  schema: S,
  handle: (ctx: RouteContext, body: z.infer<S>) => Promise<unknown>,
  options: { status?: number; maxBodyBytes?: number; doc?: Omit<RouteDoc, 'body'> } = {},
): Route {
  return rest(method, path, async (ctx) => handle(ctx, await readJson(ctx, schema)), { ...options, doc: { ...options.doc, body: schema } });
}

/** The body as JSON validated by `schema`: 400 if not JSON or nested too deep, 422 naming the first bad field. */
export async function readJson<S extends z.ZodType>(ctx: RouteContext, schema: S): Promise<z.infer<S>> {
  return validate(schema, await readJsonValue(ctx), 'body');
}

/** The body as JSON, not yet validated: 400 if not JSON or nested too deep. */
export async function readJsonValue(ctx: RouteContext): Promise<unknown> {
  const text = (await ctx.body()).toString('utf8');
  try {
    return parseJsonInput(text);
  } catch (error) {
    throw new HttpError(400, `the request body is ${(error as Error).message}`);
  }
}

/** Validates a value, or throws 422 naming the field (`body.key: required`). */
export function validate<S extends z.ZodType>(schema: S, value: unknown, what: string): z.infer<S> {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  const issue = result.error.issues[0];
  const field = [what, ...issue.path.map(String)].join('.');
  const missing = issue.code === 'invalid_type' && issue.message.includes('undefined');
  throw new HttpError(422, `${field}: ${missing ? 'required' : issue.message}`);
}
