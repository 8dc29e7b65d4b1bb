import { realpath } from 'node:fs/promises';
import path from 'node:path';
import { ApiError } from '../../../shared/rpc';

const isInside = (root: string, file: string) => file.startsWith(root + path.sep);

/**
 * Where `file` really lands once symlinks are resolved: its real path, or for a file
 * not there yet its folder's real path joined with its name; null when the folder is missing.
 */
async function landing(file: string): Promise<string | null> {
  const real = await realpath(file).catch(() => null);
  if (real) return real;
  const dir = await realpath(path.dirname(file)).catch(() => null);
  return dir === null ? null : path.join(dir, path.basename(file));
}

/**
 * The one "inside these roots" check for a client-given absolute path: where it really
 * lands (symlinks resolved on both sides) and the root that holds it. A path outside every
 * root is refused with `refusal` whether or not it exists, so the answer never tells
 * what lies outside; a missing folder inside a root is not_found.
 */
export async function resolveInsideRoots(roots: string[], file: string, refusal: string): Promise<{ root: string; target: string }> {
  if (!path.isAbsolute(file)) throw new ApiError('invalid_input', `path must be absolute: ${file}`);
  const realRoots = await Promise.all(roots.map((root) => realpath(root).catch(() => null)));
  const target = await landing(file);
  const index = target === null ? -1 : realRoots.findIndex((root) => root !== null && isInside(root, target));
  if (target !== null && index >= 0) return { root: roots[index], target };
  if (target === null && roots.some((root) => isInside(path.resolve(root), path.resolve(file)))) {
    throw new ApiError('not_found', `folder not found: ${path.dirname(file)}`);
  }
  throw new ApiError('invalid_input', `${refusal}: ${file}`);
}
