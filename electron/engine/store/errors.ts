/** Why a store operation failed; stable, so transports can map them (e.g. to HTTP codes). */
export type StoreErrorCode =
  | 'not_found'
  | 'invalid_input'
  | 'cannot_open'
  | 'read_only'
  | 'corrupt'
  | 'newer_schema'
  | 'migration_changed'
  | 'write_failed'
  | 'closed';

/** Every error the store raises on purpose: a stable code and a message saying what to do. */
export class StoreError extends Error {
  readonly code: StoreErrorCode;

  constructor(code: StoreErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'StoreError';
    this.code = code;
  }
}

export const trajectoryNotFound = (id: string): StoreError =>
  new StoreError('not_found', `No trajectory with id '${id}' in the local store.`);
