/**
 * The error every transport carries back to the caller. In its own module so code that
 * only throws it (the runbook reader, which `jetty lint` loads) does not load the whole
 * contract; shared/rpc.ts re-exports it.
 */
export class ApiError extends Error {
  constructor(
    readonly code: 'invalid_input' | 'unknown_method' | 'not_found' | 'failed' | 'unauthorized',
    message: string,
  ) {
    super(message);
    this.name = 'ApiError';
  }
}
