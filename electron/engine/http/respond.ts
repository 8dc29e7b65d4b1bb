/**
 * Answering an HTTP request with JSON, and with an error no handler answered: every door
 * (the local API, the run gateway's listener, MCP over HTTP) answers through these.
 */
import type { ServerResponse } from 'node:http';
import { isNoSpace } from '../base/disk-full';

export function sendJson(res: ServerResponse, status: number, value: unknown): void {
  const body = JSON.stringify(value);
  res.writeHead(status, { 'Content-Type': 'application/json; charset=utf-8', 'Content-Length': Buffer.byteLength(body) });
  res.end(body);
}

export function sendError(res: ServerResponse, status: number, code: string, message: string): void {
  sendJson(res, status, { error: { code, message } });
}

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
