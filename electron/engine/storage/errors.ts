import type { StorageFailure } from '../../../shared/storage';
import { StorageError } from './types';

const BY_CODE: Record<string, StorageFailure> = {
  InvalidAccessKeyId: 'bad_credentials',
  SignatureDoesNotMatch: 'bad_credentials',
  InvalidToken: 'bad_credentials',
  ExpiredToken: 'bad_credentials',
  AccessDenied: 'bad_credentials',
  CredentialsProviderError: 'bad_credentials',
  NoSuchBucket: 'no_bucket',
  NoSuchKey: 'not_found',
  NotFound: 'not_found',
  RequestTimeTooSkewed: 'clock_skew',
  ECONNREFUSED: 'no_network',
  ECONNRESET: 'no_network',
  ENOTFOUND: 'no_network',
  EAI_AGAIN: 'no_network',
  ETIMEDOUT: 'no_network',
  EHOSTUNREACH: 'no_network',
  ENETUNREACH: 'no_network',
  TimeoutError: 'no_network',
  RequestTimeout: 'no_network',
};

const HINTS: Record<StorageFailure, string> = {
  bad_credentials: 'the access key or secret is wrong, expired or not allowed here',
  no_bucket: 'the bucket does not exist (or is in another account or region)',
  no_network: 'the storage endpoint could not be reached',
  clock_skew: "this machine's clock differs too much from the server's; correct the system time",
  not_found: 'no such object',
  refused: 'the server refused the request',
};

/** The codes an AWS SDK error or a Node socket error carries (name, Code, errno code, cause). */
function codesOf(error: unknown): string[] {
  const e = error as { name?: string; Code?: string; code?: string; cause?: unknown; errors?: unknown[] } | null;
  if (!e || typeof e !== 'object') return [];
  return [e.name, e.Code, e.code, ...codesOf(e.cause), ...(e.errors ?? []).flatMap(codesOf)].filter((c): c is string => typeof c === 'string');
}

/**
 * A StorageError naming why a backend call failed (bad credentials, no bucket, no
 * network, clock skew, …) with the server's own words, for `where` (e.g. `s3://bucket`).
 * Messages carry codes and the server's text, never a credential.
 */
export function describeStorageError(error: unknown, where: string): StorageError {
  if (error instanceof StorageError) return error;
  const codes = codesOf(error);
  const failure = codes.map((c) => BY_CODE[c]).find(Boolean) ?? 'refused';
  const status = (error as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode;
  const detail = [codes[0], status ? `HTTP ${status}` : null, (error as Error)?.message].filter(Boolean).join(', ');
  return new StorageError(failure, `${where}: ${HINTS[failure]} (${detail})`);
}
