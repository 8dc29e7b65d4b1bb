import { watch, type FSWatcher } from 'node:fs';
import path from 'node:path';
import type { EventBus } from '../events';
import type { Workspaces } from './workspaces';

const DEBOUNCE_MS = 200;
const IGNORED_PARTS = new Set(['node_modules', '.git', 'out', 'dist', '.venv', '__pycache__']);

/** Whether a changed path (relative to the watched folder) can matter to the runbook list. */
const relevant = (relative: string) => !relative.split(path.sep).some((part) => IGNORED_PARTS.has(part)) && !relative.endsWith('.tmp');

/**
 * Keeps every open folder watched (recursive `fs.watch`): after a burst of changes settles,
 * the folder is rescanned (→ `workspace.changed`) and each RUNBOOK.md touched is announced
 * (→ `runbook.changed`) so an editor can reload a clean buffer or warn about a dirty one.
 */
export function watchWorkspaces(workspaces: Workspaces, bus: EventBus): { close(): void } {
  const watchers = new Map<string, FSWatcher>();

  function start(folder: string) {
    const changed = new Set<string>();
    let timer: ReturnType<typeof setTimeout> | undefined;
    const flush = () => {
      const files = [...changed];
      changed.clear();
      void workspaces
        .open(folder)
        .catch(() => undefined) // a folder deleted from under us keeps its last list
        .then(() => {
          for (const file of files) if (path.basename(file) === 'RUNBOOK.md') bus.emit('runbook.changed', { path: path.join(folder, file) });
        });
    };
    try {
      const watcher = watch(folder, { recursive: true }, (_type, name) => {
        if (name === null || !relevant(name)) return;
        changed.add(name);
        clearTimeout(timer);
        timer = setTimeout(flush, DEBOUNCE_MS);
      });
      watcher.on('error', () => {
        watcher.close();
        watchers.delete(folder);
      });
      watchers.set(folder, watcher);
    } catch {
      // no recursive watching on this platform/file system: the list refreshes on open and save only
    }
  }

  const unsubscribe = bus.subscribe('workspace.changed', ({ folder }) => {
    if (!watchers.has(folder)) start(folder);
  });
  void workspaces.list().then((open) => open.forEach(({ folder }) => watchers.has(folder) || start(folder)));

  return {
    close() {
      unsubscribe();
      for (const w of watchers.values()) w.close();
      watchers.clear();
    },
  };
}
