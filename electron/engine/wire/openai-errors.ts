/** OpenAI's error body (`{error: {message, type, param, code}}`), shared by chat completions and Responses. */
import { decodeErrorWith, kindOfStatus, statusFor } from './errors';
import { isObject, type ApiError, type EncodedError, type ErrorKind } from './internal';

const TYPE_BY_KIND: Record<ErrorKind, string> = {
  invalid_request: 'invalid_request_error',
  authentication: 'authentication_error',
  permission: 'permission_error',
  not_found: 'not_found_error',
  request_too_large: 'invalid_request_error',
  rate_limit: 'rate_limit_error',
  overloaded: 'server_error',
  server: 'server_error',
};

const STATUS_BY_KIND: Record<ErrorKind, number> = {
  invalid_request: 400,
  authentication: 401,
  permission: 403,
  not_found: 404,
  request_too_large: 413,
  rate_limit: 429,
  overloaded: 503,
  server: 500,
};

const KIND_BY_TYPE: Record<string, ErrorKind> = {
  authentication_error: 'authentication',
  permission_error: 'permission',
  not_found_error: 'not_found',
  rate_limit_error: 'rate_limit',
  insufficient_quota: 'rate_limit',
  requests: 'rate_limit',
  tokens: 'rate_limit',
  // Codes, for errors (such as Responses stream events) that carry no type.
  rate_limit_exceeded: 'rate_limit',
  invalid_api_key: 'authentication',
  model_not_found: 'not_found',
};

const nullableString = (v: unknown) => (typeof v === 'string' ? v : v === undefined || v === null ? null : String(v));

/** The `error` object of an OpenAI error body or stream event → ApiError fields (the kind by type, code, else status). */
export function readOpenAiError(error: unknown, status: number): Omit<ApiError, 'status'> | null {
  if (!isObject(error) || typeof error.message !== 'string') return null;
  const type = typeof error.type === 'string' ? error.type : '';
  const kind = KIND_BY_TYPE[type] ?? KIND_BY_TYPE[String(error.code)] ?? kindOfStatus(status);
  return { kind, message: error.message, code: nullableString(error.code), param: nullableString(error.param) };
}

export const decodeOpenAiError = (status: number, text: string): ApiError =>
  decodeErrorWith(status, text, (body) => readOpenAiError(isObject(body) ? body.error : undefined, status));

export const openAiErrorObject = (error: ApiError) => ({ message: error.message, type: TYPE_BY_KIND[error.kind], param: error.param ?? null, code: error.code ?? null });

export const encodeOpenAiError = (error: ApiError): EncodedError => ({ status: statusFor(error, STATUS_BY_KIND), body: { error: openAiErrorObject(error) } });
