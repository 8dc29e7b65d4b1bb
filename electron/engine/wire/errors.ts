/** What every wire API's error converters share: an error's kind from its HTTP status, and the fallback message. */
import { parseJson, type ApiError, type ErrorKind } from './internal';

const KIND_BY_STATUS: Record<number, ErrorKind> = {
  400: 'invalid_request',
  401: 'authentication',
  403: 'permission',
  404: 'not_found',
  413: 'request_too_large',
  422: 'invalid_request',
  429: 'rate_limit',
  503: 'overloaded',
  529: 'overloaded',
};

export const kindOfStatus = (status: number): ErrorKind => KIND_BY_STATUS[status] ?? (status >= 500 ? 'server' : 'invalid_request');

/**
 * The status an API answers for an error kind, by its own table; `server` errors keep
 * the provider's 5xx status (502, 504…), since every API uses those the same way.
 */
export function statusFor(error: ApiError, table: Record<ErrorKind, number>): number {
  return error.kind === 'server' && error.status >= 500 ? error.status : table[error.kind];
}

/**
 * Decodes an error body with `read` (which knows one API's shape); a body that is not
 * JSON, or not that shape, becomes an error saying what the provider answered.
 */
export function decodeErrorWith(status: number, text: string, read: (body: unknown) => Omit<ApiError, 'status'> | null): ApiError {
  const body = parseJson(text);
  const known = body === undefined ? null : read(body);
  if (known) return { ...known, status };
  const detail = text.trim().slice(0, 500);
  return { kind: kindOfStatus(status), status, message: `the provider returned HTTP ${status}${detail ? `: ${detail}` : ''}` };
}
