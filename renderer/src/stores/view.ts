import { create } from 'zustand';

/** The screens of the app; the runbook in the editor is kept in the selection store. */
export type View =
  | { name: 'runbooks' }
  | { name: 'problems' }
  | { name: 'trajectories' }
  /** `seq`: the event to show first (a search hit). */
  | { name: 'replay'; id: string; seq?: number }
  /** The runs side by side, the first one the baseline. */
  | { name: 'compare'; ids: string[] }
  /** A run in progress, its log full width. */
  | { name: 'live'; id: string }
  | { name: 'cloud' }
  | { name: 'routines' }
  | { name: 'settings' }
  /** Evaluations of a runbook (its path), one of them open, or two compared. */
  | { name: 'evaluate'; runbook: string | null; evaluation: string | null; compare: { left: string; right: string } | null };

/** A pop-out window shows one run's live view alone (`#live=<id>` in its address). */
const poppedOut = typeof location !== 'undefined' ? /^#live=([0-9a-f]{8})$/.exec(location.hash)?.[1] : undefined;
export const isPopOut = poppedOut !== undefined;

export const useView = create<{ view: View; show(view: View): void }>((set) => ({
  view: poppedOut ? { name: 'live', id: poppedOut } : { name: 'runbooks' },
  show: (view) => set({ view }),
}));
