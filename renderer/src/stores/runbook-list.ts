import { create } from 'zustand';
import type { RunbookFilter, SeverityFilter } from '../features/runbooks/runbook-filter';

interface RunbookListState extends RunbookFilter {
  /** Hint counts as badges on rows and collections (off by default: hints are not problems). */
  showHints: boolean;
  /** Collapsed collections, by `collapseKey`. */
  collapsed: ReadonlySet<string>;
  /** Whether the query searches the runbooks' texts too. */
  searchText: boolean;
  setSearchText(on: boolean): void;
  setTextMatches(paths: ReadonlySet<string> | null): void;
  setQuery(query: string): void;
  setSeverity(severity: SeverityFilter): void;
  setShowHints(show: boolean): void;
  toggleCollapsed(key: string): void;
  clearFilters(): void;
}

/** Which collection of which opened folder a collapse is for. */
export const collapseKey = (folder: string, collection: string) => `${folder}\u0000${collection}`;

/** How the runbook list is filtered and folded, shared by the first screen and the editor's sidebar. */
export const useRunbookList = create<RunbookListState>((set, get) => ({
  query: '',
  severity: 'all',
  showHints: false,
  collapsed: new Set(),
  searchText: false,
  textMatches: null,
  setSearchText: (searchText) => set({ searchText, textMatches: null }),
  setTextMatches: (textMatches) => set({ textMatches }),
  setQuery: (query) => set({ query }),
  setSeverity: (severity) => set({ severity }),
  setShowHints: (showHints) => set({ showHints }),
  toggleCollapsed(key) {
    const next = new Set(get().collapsed);
    if (!next.delete(key)) next.add(key);
    set({ collapsed: next });
  },
  clearFilters: () => set({ query: '', severity: 'all', textMatches: null }),
}));
