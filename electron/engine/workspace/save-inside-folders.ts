import { randomBytes } from 'node:crypto';
import { lstat, open, realpath, rename, rm, stat } from 'node:fs/promises';
import path from 'node:path';
import { ApiError } from '../../../shared/rpc';

const isInside = (folder: string, file: string) => file.startsWith(folder + path.sep);

/**
 * Writes `text` to `file` atomically (a temporary file in the same folder, synced, then
 * renamed over the target), but only when the file lies inside one of `folders` once
 * symlinks are resolved. Returns the open folder that holds it.
 */
export async function saveInsideFolders(folders: string[], file: string, text: string): Promise<string> {
  if (!path.isAbsolute(file)) throw new ApiError('invalid_input', `path must be absolute: ${file}`);
  const dir = await realpath(path.dirname(file)).catch(() => {
    throw new ApiError('not_found', `folder not found: ${path.dirname(file)}`);
  });
  const existing = await lstat(file).catch(() => null);
  if (existing && !existing.isFile() && !existing.isSymbolicLink()) throw new ApiError('invalid_input', `not a file: ${file}`);
  const target = existing?.isSymbolicLink() ? await realpath(file) : path.join(dir, path.basename(file));

  const roots = await Promise.all(folders.map((f) => realpath(f).catch(() => null)));
  const index = roots.findIndex((root) => root !== null && isInside(root, target));
  if (index < 0) throw new ApiError('invalid_input', `refusing to save outside the open folders: ${file}`);

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
  return folders[index];
}
