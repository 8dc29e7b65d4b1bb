import { create } from 'zustand';
import type { MethodInput, MethodOutput } from '../../../shared/contract';
import type { TrajectorySort } from '../../../shared/evaluation';
import { apiClient } from './connection';

export type ListFilters = Pick<MethodInput<'trajectory.list'>, 'collection' | 'task' | 'status' | 'evaluation' | 'label' | 'search'>;
type Page = MethodOutput<'trajectory.list'>;

interface TrajectoryListState {
  filters: ListFilters;
  sort: TrajectorySort;
  page: number;
  result: Page | null;
  error: string | null;
  setFilters(filters: ListFilters): void;
  setSort(sort: TrajectorySort): void;
  setPage(page: number): void;
  load(): Promise<void>;
}

const PAGE_SIZE = 50;
let generation = 0;

/** The trajectories screen's filters, order and current page (answers to older queries are dropped). */
export const useTrajectoryList = create<TrajectoryListState>((set, get) => ({
  filters: {},
  sort: 'newest',
  page: 1,
  result: null,
  error: null,
  setFilters(filters) {
    set({ filters, page: 1 });
    void get().load();
  },
  setSort(sort) {
    set({ sort, page: 1 });
    void get().load();
  },
  setPage(page) {
    set({ page });
    void get().load();
  },
  async load() {
    const mine = ++generation;
    const { filters, sort, page } = get();
    const clean = Object.fromEntries(Object.entries(filters).filter(([, v]) => v)) as ListFilters;
    try {
      const result = await apiClient()['trajectory.list']({ ...clean, sort, page, limit: PAGE_SIZE });
      if (mine === generation) set({ result, error: null });
    } catch (err) {
      if (mine === generation) set({ error: err instanceof Error ? err.message : String(err) });
    }
  },
}));
