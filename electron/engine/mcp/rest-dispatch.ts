/**
 * The one way an MCP tool of Jetty's public catalog reaches the engine: the REST call it
 * mirrors, sent to this engine's own local API (the same routes the UI, the CLI's cloud
 * commands and any remote client use), with its token, over loopback.
 */

/** A call to `/api/v1/…`: `path` is under the prefix, its dynamic segments already encoded (`seg`). */
export interface RestCall {
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  path: string;
  query?: Record<string, string | number>;
  /** A JSON body. */
  json?: unknown;
  /** A multipart form body (the run routes take one, as the cloud's do). */
  form?: Record<string, string>;
}

/** Where the local API listens and its token (`localApi.info`), or null while it is not up. */
export type LocalApiTarget = () => Promise<{ baseUrl: string; token: string } | null>;

export type RestDispatch = (call: RestCall, signal?: AbortSignal) => Promise<unknown>;

/** A refusal or failure of the local API, with its status and the API's own message. */
export class RestCallError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
    this.name = 'RestCallError';
  }
}

/** One dynamic path segment, so reserved characters cannot alter the route. */
export const seg = (value: string): string => encodeURIComponent(value);

/** The message of an answer `{error: {code, message}}` (the local API's shape), else its text, bounded. */
function refusalText(status: number, text: string): string {
  try {
    const body = JSON.parse(text) as { error?: { code?: unknown; message?: unknown } };
    if (typeof body.error?.message === 'string') return `Jetty API error ${status} (${String(body.error.code ?? 'failed')}): ${body.error.message}`;
  } catch {
    // not JSON: the text itself
  }
  return `Jetty API error ${status}: ${text.slice(0, 2000) || 'no message'}`;
}

function bodyOf(call: RestCall): { body?: FormData | string; headers: Record<string, string> } {
  if (call.form) {
    const form = new FormData();
    for (const [name, value] of Object.entries(call.form)) form.append(name, value);
    return { body: form, headers: {} };
  }
  if (call.json !== undefined) return { body: JSON.stringify(call.json), headers: { 'Content-Type': 'application/json' } };
  return { headers: {} };
}

/** Sends REST calls to the local API `target` names; an answer that is not 2xx throws RestCallError. */
export function restDispatch(target: LocalApiTarget): RestDispatch {
  return async (call, signal) => {
    const api = await target();
    if (!api) throw new RestCallError(503, "Jetty's local API is not listening yet; try again in a moment");
    const url = new URL(`/api/v1${call.path}`, api.baseUrl);
    for (const [name, value] of Object.entries(call.query ?? {})) url.searchParams.set(name, String(value));
    const { body, headers } = bodyOf(call);
    const res = await fetch(url, { method: call.method, body, headers: { ...headers, Authorization: `Bearer ${api.token}` }, signal });
    const text = await res.text();
    if (!res.ok) throw new RestCallError(res.status, refusalText(res.status, text));
    if (!(res.headers.get('content-type') ?? '').includes('application/json')) return text;
    return JSON.parse(text) as unknown;
  };
}
