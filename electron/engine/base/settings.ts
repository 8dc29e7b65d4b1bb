import { existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { SettingsSchema, WARM_POOL_DEFAULT, type Settings } from '../../../shared/contract';

export const DEFAULT_SETTINGS: Settings = {
  theme: 'system',
  defaultAgent: '',
  defaultModel: '',
  modelBaseUrl: '',
  defaultImage: '',
  collectionImages: {},
  recentFolders: [],
  runbookUrlHosts: [],
  warmPoolSize: WARM_POOL_DEFAULT,
};

/**
 * App settings in `<dataDir>/settings.json` (nothing secret). A file that cannot be
 * read as settings is moved aside (`settings.json.unreadable-<time>`), never lost, and
 * the defaults are used.
 */
export function openSettings(dataDir: string) {
  const file = path.join(dataDir, 'settings.json');
  let current: Settings = { ...DEFAULT_SETTINGS };
  const listeners = new Set<(settings: Settings) => void>();
  if (existsSync(file)) {
    try {
      current = SettingsSchema.parse({ ...DEFAULT_SETTINGS, ...JSON.parse(readFileSync(file, 'utf8')) });
    } catch {
      renameSync(file, `${file}.unreadable-${Date.now()}`);
    }
  }
  return {
    get: (): Settings => ({ ...current, recentFolders: [...current.recentFolders], collectionImages: { ...current.collectionImages } }),
    update(patch: Partial<Settings>): Settings {
      current = SettingsSchema.parse({ ...current, ...patch });
      const tmp = `${file}.${process.pid}.tmp`;
      writeFileSync(tmp, `${JSON.stringify(current, null, 2)}\n`, { mode: 0o600 });
      renameSync(tmp, file);
      for (const listener of listeners) listener(this.get());
      return this.get();
    },
    /** Calls `listener` after each update; returns the unsubscribe. */
    onChange(listener: (settings: Settings) => void): () => void {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    /** Puts a folder first in the recent list (at most 10). */
    remember(folder: string): Settings {
      return this.update({ recentFolders: [folder, ...current.recentFolders.filter((f) => f !== folder)].slice(0, 10) });
    },
  };
}
export type SettingsFile = ReturnType<typeof openSettings>;
