import { create } from 'zustand';
import type { Workspace } from '../../../shared/contract';
import { apiClient } from './connection';

interface WorkspacesState {
  workspaces: Workspace[];
  phase: 'loading' | 'ready' | 'error';
  error: string | null;
  /** Reloads the open folders (at start and after every reconnect). */
  refresh(): Promise<void>;
  /** Opens a folder; resolves to an error message to show, or null on success. */
  openFolder(folder: string): Promise<string | null>;
  /** Applies a `workspace.changed` event. */
  upsert(workspace: Workspace): void;
}

const messageOf = (err: unknown) => (err instanceof Error ? err.message : String(err));

export const useWorkspaces = create<WorkspacesState>((set, get) => ({
  workspaces: [],
  phase: 'loading',
  error: null,
  async refresh() {
    try {
      set({ workspaces: await apiClient()['workspace.current']({}), phase: 'ready', error: null });
    } catch (err) {
      set({ phase: 'error', error: messageOf(err) });
    }
  },
  async openFolder(folder) {
    try {
      get().upsert(await apiClient()['workspace.open']({ folder }));
      return null;
    } catch (err) {
      return messageOf(err);
    }
  },
  upsert(workspace) {
    const others = get().workspaces.filter((w) => w.folder !== workspace.folder);
    set({ workspaces: [...others, workspace], phase: 'ready' });
  },
}));
