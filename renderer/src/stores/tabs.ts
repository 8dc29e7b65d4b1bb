import { create } from 'zustand';
import { persist } from 'zustand/middleware';
import { useSelection } from './selection';

/** Most tabs kept open; opening another closes the one used least recently. */
const MAX_TABS = 20;

interface TabsState {
  /** The runbooks and workflow files open as tabs, in their order. */
  open: string[];
  /** The most recently opened runbooks, newest first (quick open lists them first). */
  recent: string[];
  close(path: string): void;
  /** Shows the tab `by` places from the current one (wrapping around). */
  cycle(by: 1 | -1): void;
  /** Keeps only the tabs whose files are still in an open folder. */
  keepOnly(paths: ReadonlySet<string>): void;
}

/**
 * Tabs for the runbooks and workflow files opened in the editor (selecting one opens its tab;
 * the selection is the active tab), kept in the page's storage with the active one, so a
 * reload opens them again.
 */
export const useTabs = create<TabsState>()(
  persist(
    (set, get) => ({
      open: [],
      recent: [],
      close(path) {
        const { open } = get();
        const at = open.indexOf(path);
        if (at < 0) return;
        const rest = open.filter((p) => p !== path);
        set({ open: rest });
        if (useSelection.getState().path === path) useSelection.getState().select(rest[Math.min(at, rest.length - 1)] ?? null);
      },
      cycle(by) {
        const { open } = get();
        const current = useSelection.getState().path;
        if (open.length === 0) return;
        const at = current ? open.indexOf(current) : -1;
        useSelection.getState().select(open[(at + by + open.length) % open.length]);
      },
      keepOnly(paths) {
        const { open, recent } = get();
        set({ open: open.filter((p) => paths.has(p)), recent: recent.filter((p) => paths.has(p)) });
        const current = useSelection.getState().path;
        if (current && !paths.has(current)) useSelection.getState().select(null);
      },
    }),
    {
      name: 'jetty.tabs',
      version: 1,
      partialize: (s) => ({ open: s.open, recent: s.recent, active: useSelection.getState().path }),
      // The active tab is selected again once the page has loaded its stored tabs.
      onRehydrateStorage: () => (state) => {
        const active = (state as (TabsState & { active?: string | null }) | undefined)?.active;
        if (active && state?.open.includes(active)) useSelection.getState().select(active);
      },
    },
  ),
);

// Selecting a runbook opens its tab (after the current one) and makes it the most recent.
useSelection.subscribe(({ path }) => {
  const { open, recent } = useTabs.getState();
  if (path === null) return useTabs.setState({}); // persists the active tab
  const current = open.includes(path) ? open : [...open, path].slice(-MAX_TABS);
  useTabs.setState({ open: current, recent: [path, ...recent.filter((p) => p !== path)].slice(0, MAX_TABS) });
});
