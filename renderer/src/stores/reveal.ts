import { create } from 'zustand';
import { useSelection } from './selection';
import { useView } from './view';

interface RevealState {
  /** A place in a file the editor shows once that file is open in it. */
  target: { path: string; line: number; column: number } | null;
  /** Opens `path` in the editor at a line (from the Problems view, a search). */
  open(path: string, line: number, column?: number): void;
  done(): void;
}

export const useReveal = create<RevealState>((set) => ({
  target: null,
  open(path, line, column = 1) {
    set({ target: { path, line, column } });
    useSelection.getState().select(path);
    useView.getState().show({ name: 'runbooks' });
  },
  done: () => set({ target: null }),
}));
