import http from 'node:http';

/** One HTTP answer, its body as text and (when it parses) JSON. */
export interface HttpAnswer {
  status: number;
  headers: http.IncomingHttpHeaders;
  text: string;
  json: unknown;
}

export interface RawRequest {
  method?: string;
  /** Sent exactly as given (no URL normalisation). */
  path: string;
  headers?: Record<string, string>;
  body?: Buffer | string;
  /** Send only this many body bytes (Content-Length still announces all of them), then cut the connection. */
  abortAfterBytes?: number;
  /** Fails the request when no answer came in this time (default 10 s). */
  timeoutMs?: number;
}

/**
 * One request to 127.0.0.1:`port` on its own connection. Resolves with the answer, or with
 * null when `abortAfterBytes` cut it short; rejects on a connection error or the timeout.
 */
export function send(port: number, request: RawRequest): Promise<HttpAnswer | null> {
  const body = typeof request.body === 'string' ? Buffer.from(request.body) : request.body;
  const headers = { ...request.headers, ...(body ? { 'content-length': String(body.length) } : {}) };
  return new Promise((resolve, reject) => {
    const req = http.request({ host: '127.0.0.1', port, path: request.path, method: request.method ?? 'GET', headers, agent: false }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (d: Buffer) => chunks.push(d));
      res.on('error', reject);
      res.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8');
        let json: unknown = undefined;
        try {
          json = JSON.parse(text);
        } catch {
          // not JSON
        }
        resolve({ status: res.statusCode ?? 0, headers: res.headers, text, json });
      });
    });
    req.setTimeout(request.timeoutMs ?? 10_000, () => req.destroy(new Error(`no answer to ${request.method ?? 'GET'} ${request.path} within ${request.timeoutMs ?? 10_000} ms`)));
    if (request.abortAfterBytes === undefined || !body) {
      req.on('error', reject);
      return void req.end(body);
    }
    req.on('error', () => undefined);
    req.write(body.subarray(0, request.abortAfterBytes), () => {
      req.destroy();
      resolve(null);
    });
  });
}

/** The `{error: {code, message}}` of an answer, or null when it has no such body. */
export function jsonErrorOf(answer: HttpAnswer): { code: unknown; message: string } | null {
  const error = (answer.json as { error?: { code?: unknown; message?: unknown } } | undefined)?.error;
  if (typeof error !== 'object' || error === null || !('code' in error) || typeof error.message !== 'string') return null;
  return { code: error.code, message: error.message };
}
