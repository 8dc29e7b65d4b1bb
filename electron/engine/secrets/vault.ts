import path from 'node:path';
import { loadOrCreateKey, readEncryptedJson, writeEncryptedJson } from './encrypted-file';

/**
 * Where the app keeps secret values (runbook secrets, provider keys): never in SQLite.
 * In Electron the file key is itself kept in the OS keychain (safeStorage): `keychain`;
 * under `jetty serve` the key sits beside the file with mode 0600: `encrypted-file`.
 */
export interface SecretVault {
  readonly storage: 'keychain' | 'encrypted-file';
  has(name: string): boolean;
  get(name: string): string | undefined;
  /** The names of the stored secrets (for the cloud's pre-push secret audit). */
  names(): string[];
  set(name: string, value: string): void;
  delete(name: string): void;
  /** Calls `listener` after each change; returns the unsubscribe. */
  onChange(listener: () => void): () => void;
}

/** A vault in `<dataDir>/secrets/vault.enc` (AES-256-GCM), with `key` from the keychain or a 0600 key file. */
export function openSecretVault(dataDir: string, key?: Buffer): SecretVault {
  const dir = path.join(dataDir, 'secrets');
  const file = path.join(dir, 'vault.enc');
  const cipherKey = key ?? loadOrCreateKey(dir);
  const values = readEncryptedJson<Record<string, string>>(file, cipherKey, {});
  const listeners = new Set<() => void>();
  const save = () => {
    writeEncryptedJson(file, cipherKey, values);
    for (const listener of listeners) listener();
  };
  return {
    storage: key ? 'keychain' : 'encrypted-file',
    has: (name) => Object.prototype.hasOwnProperty.call(values, name),
    get: (name) => (Object.prototype.hasOwnProperty.call(values, name) ? values[name] : undefined),
    names: () => Object.keys(values).sort(),
    set(name, value) {
      values[name] = value;
      save();
    },
    delete(name) {
      if (!Object.prototype.hasOwnProperty.call(values, name)) return;
      delete values[name];
      save();
    },
    onChange(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
}
