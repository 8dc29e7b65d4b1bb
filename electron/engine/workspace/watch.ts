import path from 'node:path';
import type { EventBus } from '../events';
import { watchTree } from './watch-tree';
import type { Workspaces } from './workspaces';

const DEBOUNCE_MS = 200;

/**
 * Keeps every open folder watched: after a burst of changes settles, the folder is
 * rescanned (→ `workspace.changed`) and each RUNBOOK.md touched is announced
 * (→ `runbook.changed`) so an editor can reload a clean buffer or warn about a dirty one.
 */
export function watchWorkspaces(workspaces: Workspaces, bus: EventBus): { close(): void } {
  const trees = new Map<string, ReturnType<typeof watchTree>>();
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
    void tree.sync().then(async () => {
      if (!closed) await workspaces.open(folder).catch(() => undefined);
    });
  }

  const unsubscribe = bus.subscribe('workspace.changed', ({ folder }) => {
    if (!trees.has(folder)) start(folder);
  });

  return {
    close() {
      closed = true;
      unsubscribe();
      for (const tree of trees.values()) tree.close();
      trees.clear();
    },
  };
}
