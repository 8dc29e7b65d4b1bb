/** A table the store writes; change notifications name one of these. */
export type StoreTable = 'trajectories' | 'steps' | 'events' | 'labels' | 'artifacts';

/** What changed after a commit, so a view refreshes only what it shows. */
export interface StoreChange {
  table: StoreTable;
  trajectoryId: string;
  /** A whole trajectory stored at once (an import, a recorded passthrough call): it is new. */
  imported?: true;
}

export type ChangeListener = (change: StoreChange) => void;

export interface ChangeEmitter {
  emit(change: StoreChange): void;
  subscribe(listener: ChangeListener): () => void;
}

/** Fans change notifications out; a failing listener neither stops the others nor the writer. */
export function createChangeEmitter(): ChangeEmitter {
  const listeners = new Set<ChangeListener>();
  return {
    emit(change) {
      for (const listener of listeners) {
        try {
          listener(change);
        } catch (error) {
          console.error('A store change listener failed:', error);
        }
      }
    },
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
}
