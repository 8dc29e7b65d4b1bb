import path from 'node:path';
import type { EventBus } from '../base/events';
import { watchTree } from './watch-tree';
import type { Workspaces } from './workspaces';

const DEBOUNCE_MS = 200;

export interface WorkspaceWatcher {
  /**
   * Resolves once an open folder's watches are in place and it has been rescanned; from
   * then on every change is announced. (A change made before is only in that rescan.)
   */
  watching(folder: string): Promise<void>;
  close(): void;
}

/**
 * Keeps every open folder watched: after a burst of changes settles, the folder is
 * rescanned (→ `workspace.changed`) and each RUNBOOK.md touched is announced
 * (→ `runbook.changed`) so an editor can reload a clean buffer or warn about a dirty one.
 */
export function watchWorkspaces(workspaces: Workspaces, bus: EventBus): WorkspaceWatcher {
  const trees = new Map<string, ReturnType<typeof watchTree>>();
  const watched = new Map<string, Promise<void>>();
  let closed = false;

  function start(folder: string) {
    const changed = new Set<string>();
    let timer: ReturnType<typeof setTimeout> | undefined;
    const flush = async () => {
      if (closed) return;
      const files = [...changed];
      changed.clear();
      await tree.sync();
      await workspaces.open(folder).catch(() => undefined); // a folder deleted from under us keeps its last list
      for (const file of files) if (path.basename(file) === 'RUNBOOK.md') bus.emit('runbook.changed', { path: file });
    };
    const tree = watchTree(folder, (file) => {
      if (file.endsWith('.tmp')) return; // an atomic save in progress; its rename follows
      changed.add(file);
      clearTimeout(timer);
      timer = setTimeout(() => void flush(), DEBOUNCE_MS);
    });
    trees.set(folder, tree);
    // Rescan once the watches are in place: catches what changed while they were being set up.
    const ready = tree.sync().then(async () => {
      if (!closed) await workspaces.open(folder).catch(() => undefined);
    });
    watched.set(folder, ready);
  }

  const unsubscribe = bus.subscribe('workspace.changed', ({ folder }) => {
    if (!trees.has(folder)) start(folder);
  });

  return {
    watching(folder) {
      return watched.get(folder) ?? Promise.reject(new Error(`${folder} is not an open folder`));
    },
    close() {
      closed = true;
      unsubscribe();
      for (const tree of trees.values()) tree.close();
      trees.clear();
      watched.clear();
    },
  };
}
