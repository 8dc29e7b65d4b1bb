import { create } from 'zustand';

/** The one overlay open over the screen, if any: quick open (Ctrl+P), the command palette (F1), the keyboard shortcuts (?). */
export type Overlay = 'quick-open' | 'palette' | 'shortcuts' | 'running';

export const useOverlay = create<{ open: Overlay | null; show(overlay: Overlay | null): void }>((set) => ({
  open: null,
  show: (open) => set({ open }),
}));
