import { create } from 'zustand';
import type { MethodInput, MethodOutput } from '../../../shared/contract';
import type { TrajectorySort } from '../../../shared/evaluation';
import type { SortDirection, TrajectoryOrder } from '../../../shared/trajectory-search';
import { apiClient } from './connection';

export type ListFilters = Pick<MethodInput<'trajectory.list'>, 'collection' | 'task' | 'status' | 'evaluation' | 'label' | 'text' | 'agent' | 'model' | 'since' | 'until'>;
type Page = MethodOutput<'trajectory.list'>;

interface TrajectoryListState {
  filters: ListFilters;
  sort: TrajectorySort;
  /** A column the list is sorted by (over `sort`), and which way. */
  orderBy: TrajectoryOrder | null;
  direction: SortDirection;
  page: number;
  result: Page | null;
  error: string | null;
  setFilters(filters: ListFilters): void;
  setSort(sort: TrajectorySort): void;
  /** Sorts by a column: descending first, the other way when it is already the column. */
  sortBy(column: TrajectoryOrder): void;
  setPage(page: number): void;
  load(): Promise<void>;
}

const PAGE_SIZE = 50;
/** Typing in the search box reloads once it pauses this long. */
const TYPING_PAUSE_MS = 200;
let generation = 0;
let typing: ReturnType<typeof setTimeout> | undefined;

/**
 * The trajectories screen's filters, order and current page (answers to older queries are
 * dropped). Runs nested under a workflow are listed under it, not as rows of their own.
 */
export const useTrajectoryList = create<TrajectoryListState>((set, get) => ({
  filters: {},
  sort: 'newest',
  orderBy: null,
  direction: 'desc',
  page: 1,
  result: null,
  error: null,
  setFilters(filters) {
    const textOnly = filters.text !== get().filters.text;
    set({ filters, page: 1 });
    clearTimeout(typing);
    if (textOnly) typing = setTimeout(() => void get().load(), TYPING_PAUSE_MS);
    else void get().load();
  },
  setSort(sort) {
    set({ sort, orderBy: null, page: 1 });
    void get().load();
  },
  sortBy(column) {
    const { orderBy, direction } = get();
    set({ orderBy: column, direction: orderBy === column && direction === 'desc' ? 'asc' : 'desc', page: 1 });
    void get().load();
  },
  setPage(page) {
    set({ page });
    void get().load();
  },
  async load() {
    const mine = ++generation;
    const { filters, sort, orderBy, direction, page } = get();
    const clean = Object.fromEntries(Object.entries(filters).filter(([, v]) => v)) as ListFilters;
    try {
      const order = orderBy ? { orderBy, direction } : { sort };
      const result = await apiClient()['trajectory.list']({ ...clean, ...order, topLevel: true, page, limit: PAGE_SIZE });
      if (mine === generation) set({ result, error: null });
    } catch (err) {
      if (mine === generation) set({ error: err instanceof Error ? err.message : String(err) });
    }
  },
}));
