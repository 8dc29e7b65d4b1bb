import { randomBytes } from 'node:crypto';
import { lstat, open, rename, rm, stat } from 'node:fs/promises';
import { ApiError } from '../../../shared/rpc';
import { resolveInsideRoots } from './inside-roots';

/**
 * Writes `text` to `file` atomically (a temporary file in the same folder, synced, then
 * renamed over the target), but only when the file lies inside one of `folders` once
 * symlinks are resolved. Returns the open folder that holds it.
 */
export async function saveInsideFolders(folders: string[], file: string, text: string): Promise<string> {
  const { root, target } = await resolveInsideRoots(folders, file, 'refusing to save outside the open folders');
  const existing = await lstat(target).catch(() => null);
  if (existing && !existing.isFile()) throw new ApiError('invalid_input', `not a file: ${file}`);

  const mode = existing ? (await stat(target)).mode & 0o777 : 0o644;
  const temp = `${target}.${randomBytes(6).toString('hex')}.tmp`;
  try {
    const handle = await open(temp, 'wx', mode);
    try {
      await handle.writeFile(text, 'utf8');
      await handle.sync();
    } finally {
      await handle.close();
    }
    await rename(temp, target);
  } catch (err) {
    await rm(temp, { force: true });
    throw err;
  }
  return root;
}
