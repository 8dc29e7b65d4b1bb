import type { Readable } from 'node:stream';
import type { StorageBackendName, StorageFailure } from '../../../shared/storage';

/** Bytes of an object, inclusive at both ends (as HTTP ranges are). */
export interface ByteRange {
  start: number;
  end: number;
}

export interface ObjectInfo {
  key: string;
  size: number;
}

export interface PutOptions {
  size: number;
  /** The sha256 the bytes must have (hex); kept with the object where the backend can. */
  sha256: string;
  contentType?: string;
  signal?: AbortSignal;
}

/**
 * One place artifacts can live. Keys are `/`-separated, relative to the backend's root
 * (bucket and prefix are the backend's concern). Everything streams: no object is ever
 * held whole in memory.
 */
export interface StorageBackend {
  readonly name: StorageBackendName;
  /** `s3://bucket/prefix/key` and the like: where a key lives, as shown to people. */
  describe(key: string): string;
  /** Writes the stream under `key` (multipart where the backend has it). */
  put(key: string, body: Readable, options: PutOptions): Promise<void>;
  /** The object's bytes, all or a range; StorageError `not_found` when missing. */
  get(key: string, range?: ByteRange, signal?: AbortSignal): Promise<Readable>;
  /** Size of the object, or null when missing. */
  head(key: string): Promise<ObjectInfo | null>;
  /** Objects whose key starts with `prefix`, at most `limit` of them. */
  list(prefix: string, limit: number): Promise<ObjectInfo[]>;
  delete(key: string): Promise<void>;
  /** A time-limited URL that downloads the object, where the backend has one (presigned). */
  downloadUrl?(key: string, expiresInSeconds: number): Promise<string>;
}

/** Credentials of a remote backend, from the vault or the environment; never stored in SQLite. */
export interface StorageCredentials {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken?: string;
}

/** A storage call that failed, with the reason people can act on. */
export class StorageError extends Error {
  constructor(
    readonly failure: StorageFailure,
    message: string,
  ) {
    super(message);
    this.name = 'StorageError';
  }
}
