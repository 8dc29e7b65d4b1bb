/** What went wrong talking to a remote Jetty, as the UI and the CLI name it. */
export type RemoteErrorKind =
  | 'offline' // no answer: down, unreachable, timed out
  | 'signed_out' // no token
  | 'unauthorized' // 401: token rejected
  | 'forbidden' // 403: no access to the collection
  | 'not_found'
  | 'rejected' // any other 4xx: the remote refused the request for good
  | 'rate_limited' // 429 after the retries
  | 'server'; // 5xx after the retries

export class RemoteError extends Error {
  constructor(
    readonly kind: RemoteErrorKind,
    message: string,
    /** The HTTP status, null when there was no answer. */
    readonly status: number | null = null,
  ) {
    super(message);
    this.name = 'RemoteError';
  }

  /** Worth trying again later without changing anything (outbox items stay pending). */
  get transient(): boolean {
    return this.kind === 'offline' || this.kind === 'rate_limited' || this.kind === 'server';
  }
}

export function kindOfStatus(status: number): RemoteErrorKind {
  if (status === 401) return 'unauthorized';
  if (status === 403) return 'forbidden';
  if (status === 404) return 'not_found';
  if (status === 429) return 'rate_limited';
  if (status >= 500) return 'server';
  return 'rejected';
}

/** The remote's own message from an error body: `{error: {message}}`, `{error: "…"}`, `{detail}`, `{message}`, or the text. */
export function remoteMessage(body: string): string {
  try {
    const value = JSON.parse(body) as Record<string, unknown>;
    const error = value?.error;
    const detail = value?.detail;
    const message =
      (typeof error === 'object' && error !== null ? (error as Record<string, unknown>).message : error) ??
      (typeof detail === 'string' ? detail : detail !== undefined ? JSON.stringify(detail) : undefined) ??
      value?.message;
    if (typeof message === 'string' && message) return message.slice(0, 2000);
  } catch {
    // not JSON: the text itself
  }
  return body.trim().slice(0, 2000) || '(no message)';
}
