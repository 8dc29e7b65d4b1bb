import { create } from 'zustand';

/** Which runbook is open in the editor (null: the overview). */
export const useSelection = create<{ path: string | null; select(path: string | null): void }>((set) => ({
  path: null,
  select: (path) => set({ path }),
}));
