import { StorageError } from './types';

/**
 * Checks an object key: `/`-separated, relative, no empty, `.` or `..` segments, no NUL
 * or backslash. Returns it unchanged.
 */
export function checkKey(key: string): string {
  const segments = key.split('/');
  if (key.includes('\0') || key.includes('\\') || segments.some((s) => s === '' || s === '.' || s === '..')) {
    throw new StorageError('refused', `invalid object key '${key}'`);
  }
  return key;
}

/** `prefix` + `key` with exactly one `/` between them (an empty prefix adds nothing). */
export const joinKey = (prefix: string, key: string): string => {
  const head = prefix.replace(/\/+$/, '');
  return head ? `${head}/${checkKey(key)}` : checkKey(key);
};

/** Where a key of a bucket lives, as people read it: `s3://bucket/prefix/key` (the prefix alone without a key). */
export const bucketLocation = (name: string, bucket: string, prefix: string, key = ''): string => `${name}://${bucket}/${key ? joinKey(prefix, key) : prefix}`;

/** A run's artifact's key, relative to the backend's root (the backend adds its prefix). */
export const artifactKey = (trajectoryId: string, path: string): string => checkKey(`artifacts/${trajectoryId}/${path}`);

/** An uploaded input file's key: its path under the files root (`<collection>/uploads/…`), under `files/`. */
export const inputKey = (relativePath: string): string => checkKey(`files/${relativePath}`);

/** A trajectory's export snapshot's key. */
export const exportKey = (trajectoryId: string): string => checkKey(`exports/${trajectoryId}.json`);
