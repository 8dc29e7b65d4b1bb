import { create } from 'zustand';

/** The screens of the app; the runbook in the editor is kept in the selection store. */
export type View =
  | { name: 'runbooks' }
  | { name: 'trajectories' }
  | { name: 'replay'; id: string }
  | { name: 'compare'; left: string | null; right: string | null }
  | { name: 'cloud' }
  | { name: 'routines' }
  | { name: 'settings' }
  /** Evaluations of a runbook (its path), one of them open, or two compared. */
  | { name: 'evaluate'; runbook: string | null; evaluation: string | null; compare: { left: string; right: string } | null };

export const useView = create<{ view: View; show(view: View): void }>((set) => ({
  view: { name: 'runbooks' },
  show: (view) => set({ view }),
}));
