import { create } from 'zustand';
import type { Settings } from '../../../shared/contract';
import { apiClient } from './connection';
import { useTheme } from './theme';

interface SettingsState {
  settings: Settings | null;
  error: string | null;
  load(): Promise<void>;
  /** Persists a change; resolves to an error message, or null. */
  update(patch: Partial<Settings>): Promise<string | null>;
}

const messageOf = (err: unknown) => (err instanceof Error ? err.message : String(err));

/** The engine's settings (theme, defaults, provider URL, recent folders). */
export const useSettings = create<SettingsState>((set) => ({
  settings: null,
  error: null,
  async load() {
    try {
      const settings = await apiClient()['settings.get']({});
      useTheme.getState().apply(settings.theme);
      set({ settings, error: null });
    } catch (err) {
      set({ error: messageOf(err) });
    }
  },
  async update(patch) {
    if (patch.theme) useTheme.getState().apply(patch.theme);
    try {
      set({ settings: await apiClient()['settings.update'](patch), error: null });
      return null;
    } catch (err) {
      return messageOf(err);
    }
  },
}));

/** Switches the colour theme between light and dark (from whichever is shown now), and keeps the choice. */
export async function toggleTheme(): Promise<void> {
  const next = useTheme.getState().resolved === 'dark' ? 'light' : 'dark';
  await useSettings.getState().update({ theme: next });
}
