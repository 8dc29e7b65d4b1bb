import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { loadOrCreateKey } from '../engine/secrets/encrypted-file';

/** The slice of Electron's safeStorage used here (structural, so this file needs no Electron import). */
export interface SafeStorageLike {
  isEncryptionAvailable(): boolean;
  encryptString(plain: string): Buffer;
  decryptString(encrypted: Buffer): string;
}

const KEY_BYTES = 32;
const moveAside = (dir: string) => `move ${dir} aside to start with no stored secrets`;

/**
 * The secret vault's key, kept encrypted by the OS keychain (safeStorage):
 * `<dataDir>/secrets/vault-key.safe`. Created once; on first use it seals the data
 * folder's 0600 key file when there is one (`jetty serve` wrote the vault with it), so
 * existing secrets stay readable. Returns undefined when the OS offers no keychain and
 * none was used before, so the engine falls back to the 0600 key file (and the UI says so).
 *
 * A key file that the keychain cannot open, or that holds no key, is an error naming the
 * file: never a new key, which would leave the vault unreadable and the next save would
 * replace it. Nothing is written in that case.
 */
export function keychainVaultKey(safeStorage: SafeStorageLike, dataDir: string): Buffer | undefined {
  const dir = path.join(dataDir, 'secrets');
  const file = path.join(dir, 'vault-key.safe');
  const sealed = existsSync(file);
  if (!safeStorage.isEncryptionAvailable()) {
    if (sealed) throw new Error(`${file} holds the secret vault's key, but the OS keychain is not available; unlock it and restart, or ${moveAside(dir)}`);
    return undefined;
  }
  if (sealed) return unseal(safeStorage, file, dir);
  const key = existsSync(path.join(dir, 'secrets.key')) ? loadOrCreateKey(dir) : randomBytes(KEY_BYTES);
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  writeFileSync(file, safeStorage.encryptString(key.toString('base64')), { mode: 0o600, flag: 'wx' });
  return key;
}

function unseal(safeStorage: SafeStorageLike, file: string, dir: string): Buffer {
  let encoded: string;
  try {
    encoded = safeStorage.decryptString(readFileSync(file));
  } catch (err) {
    const reason = err instanceof Error ? err.message : String(err);
    throw new Error(`${file} cannot be decrypted by the OS keychain (${reason}); it holds the secret vault's key, so nothing was changed: restore keychain access, or ${moveAside(dir)}`);
  }
  const key = Buffer.from(encoded, 'base64');
  if (key.length !== KEY_BYTES) throw new Error(`${file} does not hold a ${KEY_BYTES}-byte key; nothing was changed: ${moveAside(dir)}`);
  return key;
}
