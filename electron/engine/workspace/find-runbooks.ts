import { readdir } from 'node:fs/promises';
import path from 'node:path';

/** Folders never searched (dependencies, VCS, build output); dot-folders are skipped too. */
export const SKIP = new Set(['node_modules', '.git', 'out', 'dist', '.venv', '__pycache__']);
export const MAX_DEPTH = 8;

/** Every RUNBOOK.md under a folder (skipping dependency and VCS folders), sorted. */
export const findRunbooks = (root: string): Promise<string[]> => findFiles(root, (name) => name === 'RUNBOOK.md');

/** Errors of a folder below the root that leave it out of the search: gone since its parent was listed, not ours to read. */
const SKIPPED_FOLDER_ERRORS = new Set(['ENOENT', 'ENOTDIR', 'EACCES', 'EPERM', 'ELOOP']);

/**
 * Every file under a folder whose name `matches` (skipping dependency and VCS folders),
 * sorted. The root must be readable; a folder below it that vanishes while it is searched
 * or cannot be read is left out (an open folder such as a shared temp folder changes
 * under the search, and holds other users' private folders).
 */
export async function findFiles(root: string, matches: (name: string) => boolean): Promise<string[]> {
  const found: string[] = [];
  async function walk(dir: string, depth: number) {
    const entries = await readdir(dir, { withFileTypes: true }).catch((error: NodeJS.ErrnoException) => {
      if (dir !== root && SKIPPED_FOLDER_ERRORS.has(error.code ?? '')) return [];
      throw error;
    });
    for (const entry of entries) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory() && !SKIP.has(entry.name) && !entry.name.startsWith('.') && depth < MAX_DEPTH) {
        await walk(full, depth + 1);
      } else if (entry.isFile() && matches(entry.name)) {
        found.push(full);
      }
    }
  }
  await walk(root, 0);
  return found.sort();
}

/**
 * Collection and name of a runbook from its place under the opened folder, following
 * `runbooks/{collection}/{name}/RUNBOOK.md`; a runbook at the top level belongs to a
 * collection named after the folder itself.
 */
export function placeOf(root: string, file: string): { collection: string; name: string } {
  const dir = path.dirname(file);
  const name = path.basename(dir === root ? root : dir);
  const parent = path.dirname(dir);
  const collection = dir === root || parent === path.dirname(root) ? path.basename(root) : path.basename(parent);
  return { collection, name };
}
