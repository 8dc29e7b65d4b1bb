import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';

/** The slice of Electron's safeStorage used here (structural, so this file needs no Electron import). */
export interface SafeStorageLike {
  isEncryptionAvailable(): boolean;
  encryptString(plain: string): Buffer;
  decryptString(encrypted: Buffer): string;
}

/**
 * The secret vault's key, kept encrypted by the OS keychain (safeStorage):
 * `<dataDir>/secrets/vault-key.safe`. Returns undefined when the OS offers no keychain,
 * so the engine falls back to a 0600 key file (and the UI says so).
 */
export function keychainVaultKey(safeStorage: SafeStorageLike, dataDir: string): Buffer | undefined {
  if (!safeStorage.isEncryptionAvailable()) return undefined;
  const dir = path.join(dataDir, 'secrets');
  const file = path.join(dir, 'vault-key.safe');
  if (existsSync(file)) return Buffer.from(safeStorage.decryptString(readFileSync(file)), 'base64');
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const key = randomBytes(32);
  writeFileSync(file, safeStorage.encryptString(key.toString('base64')), { mode: 0o600, flag: 'wx' });
  return key;
}
