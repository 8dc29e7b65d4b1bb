import { watch, type FSWatcher } from 'node:fs';
import { readdir } from 'node:fs/promises';
import path from 'node:path';
import { MAX_DEPTH, SKIP } from './find-runbooks';

/** At most this many folders are watched per open folder; deeper or wider trees refresh on open and save. */
const MAX_WATCHED = 2000;

/** The folders runbooks are searched in: the same skips and depth as findRunbooks. */
async function listFolders(root: string): Promise<string[]> {
  const found: string[] = [root];
  async function walk(dir: string, depth: number) {
    if (depth >= MAX_DEPTH || found.length >= MAX_WATCHED) return;
    const entries = await readdir(dir, { withFileTypes: true }).catch(() => []);
    for (const entry of entries) {
      if (!entry.isDirectory() || SKIP.has(entry.name) || entry.name.startsWith('.')) continue;
      const full = path.join(dir, entry.name);
      found.push(full);
      await walk(full, depth + 1);
    }
  }
  await walk(root, 0);
  return found.slice(0, MAX_WATCHED);
}

/**
 * Watches every folder of a tree with one non-recursive `fs.watch` each. (Node's recursive
 * watch on Linux loses a file once an editor saves it atomically by renaming over it; a
 * folder watch keeps reporting the name.) `onChange` gets absolute paths; `sync()` follows
 * folders created or removed since.
 */
export function watchTree(root: string, onChange: (file: string) => void) {
  const watchers = new Map<string, FSWatcher>();
  let closed = false;

  async function sync() {
    const folders = new Set(await listFolders(root));
    if (closed) return;
    for (const [dir, w] of watchers) {
      if (!folders.has(dir)) {
        w.close();
        watchers.delete(dir);
      }
    }
    for (const dir of folders) {
      if (watchers.has(dir)) continue;
      try {
        const w = watch(dir, (_type, name) => name && onChange(path.join(dir, name.toString())));
        w.on('error', () => {
          w.close();
          watchers.delete(dir);
        });
        watchers.set(dir, w);
      } catch {
        // gone already, or not watchable: the next sync tries again
      }
    }
  }

  return {
    sync,
    close() {
      closed = true;
      for (const w of watchers.values()) w.close();
      watchers.clear();
    },
  };
}
