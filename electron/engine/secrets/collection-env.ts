import path from 'node:path';
import { loadOrCreateKey, readEncryptedJson, writeEncryptedJson } from './encrypted-file';

type Values = Record<string, Record<string, string>>;

/** A collection's environment variables change: a string sets a key, null deletes it. */
export type EnvironmentPatch = Record<string, string | null>;

export const ENV_KEY = /^[A-Za-z_][A-Za-z0-9_]{0,127}$/;

/**
 * Each collection's environment variables (provider keys and other secrets for runs),
 * kept encrypted in `<dataDir>/secrets/environment.enc`, never in SQLite. Only a run's
 * preparation reads values; everything user-facing lists keys.
 */
export interface CollectionEnvironment {
  keys(collection: string): string[];
  /** The values, for injecting into a run's sandbox. */
  values(collection: string): Record<string, string>;
  /** Merges a patch (null deletes) and returns the keys afterwards. */
  patch(collection: string, changes: EnvironmentPatch): string[];
  /** Every collection's values (what the store redacts from every record). */
  all(): Record<string, Record<string, string>>;
  /** Calls `listener` after each change; returns the unsubscribe. */
  onChange(listener: () => void): () => void;
}

export function openCollectionEnvironment(options: { dataDir: string; key?: Buffer }): CollectionEnvironment {
  const dir = path.join(options.dataDir, 'secrets');
  const key = options.key ?? loadOrCreateKey(dir);
  const file = path.join(dir, 'environment.enc');
  let all = readEncryptedJson<Values>(file, key, {});
  const listeners = new Set<() => void>();

  return {
    keys: (collection) => Object.keys(all[collection] ?? {}).sort(),
    values: (collection) => ({ ...all[collection] }),
    patch(collection, changes) {
      for (const name of Object.keys(changes)) {
        if (!ENV_KEY.test(name)) throw new Error(`invalid environment variable name "${name}": use letters, digits and _ (not first)`);
      }
      const next = { ...all[collection] };
      for (const [name, value] of Object.entries(changes)) {
        if (value === null) delete next[name];
        else next[name] = value;
      }
      const updated = { ...all, [collection]: next };
      if (Object.keys(next).length === 0) delete updated[collection];
      writeEncryptedJson(file, key, updated);
      all = updated;
      for (const listener of listeners) listener();
      return Object.keys(next).sort();
    },
    all: () => structuredClone(all),
    onChange(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
}
