import { create } from 'zustand';
import type { Settings } from '../../../shared/contract';

export type ThemeChoice = Settings['theme'];
type Resolved = 'dark' | 'light';

const CACHE_KEY = 'jetty.theme';
const systemDark = matchMedia('(prefers-color-scheme: dark)');
const resolve = (choice: ThemeChoice): Resolved => (choice === 'system' ? (systemDark.matches ? 'dark' : 'light') : choice);
const cached = (): ThemeChoice => {
  const value = localStorage.getItem(CACHE_KEY);
  return value === 'dark' || value === 'light' ? value : 'system';
};

interface ThemeState {
  choice: ThemeChoice;
  /** What is shown: the choice, or the system's setting for 'system'. */
  resolved: Resolved;
  /** Applies a choice (the settings store persists it in the engine). */
  apply(choice: ThemeChoice): void;
}

/**
 * The colour theme: `<html data-theme>` drives the CSS variables and Monaco follows
 * `resolved`. The last choice is cached locally so the first paint has the right colours
 * before the settings arrive from the engine.
 */
export const useTheme = create<ThemeState>((set) => ({
  choice: cached(),
  resolved: resolve(cached()),
  apply(choice) {
    localStorage.setItem(CACHE_KEY, choice);
    set({ choice, resolved: resolve(choice) });
  },
}));

useTheme.subscribe(({ resolved }) => (document.documentElement.dataset.theme = resolved));
document.documentElement.dataset.theme = useTheme.getState().resolved;
systemDark.addEventListener('change', () => useTheme.getState().apply(useTheme.getState().choice));
