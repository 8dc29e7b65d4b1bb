import { realpath, stat } from 'node:fs/promises';
import path from 'node:path';
import { HttpError } from './http';

/** Uploaded files, served by `GET /file/{path}`: `<dataDir>/files`. */
export const filesRoot = (dataDir: string): string => path.join(dataDir, 'files');
/** Runs' result folders (see `openLocalServices`), served as `artifacts/<id>/<path>`. */
export const artifactsRoot = (dataDir: string): string => path.join(dataDir, 'artifacts');

/** The file a download path names: `artifacts/<id>/…` under the artifacts, anything else under the uploads. */
export function resolveDownload(dataDir: string, relative: string): Promise<string> {
  const [first, ...rest] = checkRelativePath(relative);
  if (first === 'artifacts') return resolveInside(artifactsRoot(dataDir), rest.join('/'));
  return resolveInside(filesRoot(dataDir), relative);
}

/**
 * Checks a client-given relative path without touching the disk: refuses NUL, absolute
 * and drive paths, backslashes and `..` segments. Returns its segments.
 */
export function checkRelativePath(relative: string): string[] {
  if (relative.includes('\0')) throw new HttpError(400, 'file path contains a NUL byte');
  if (relative.includes('\\')) throw new HttpError(400, 'file path must use "/" separators');
  if (path.posix.isAbsolute(relative) || /^[A-Za-z]:/.test(relative)) throw new HttpError(400, 'file path must be relative to the files root');
  const segments = relative.split('/').filter((s) => s !== '' && s !== '.');
  if (segments.length === 0) throw new HttpError(400, 'file path is empty');
  if (segments.includes('..')) throw new HttpError(400, 'file path must not contain ".." segments');
  return segments;
}

/**
 * Resolves a client-given path to an existing regular file inside `root`, following
 * symlinks only as far as they stay inside: 400 for a malformed path, 403 for a link out,
 * 404 when missing.
 */
export async function resolveInside(root: string, relative: string): Promise<string> {
  const full = path.join(root, ...checkRelativePath(relative));
  const realRoot = await realpath(root).catch(() => {
    throw new HttpError(404, `no file at ${relative}`);
  });
  const real = await realpath(full).catch(() => {
    throw new HttpError(404, `no file at ${relative}`);
  });
  if (!real.startsWith(realRoot + path.sep)) throw new HttpError(403, `${relative} points outside the files root`);
  if (!(await stat(real)).isFile()) throw new HttpError(404, `no file at ${relative}`);
  return real;
}
