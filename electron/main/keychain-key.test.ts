import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openSecretVault } from '../engine/secrets/vault';
import { keychainVaultKey, type SafeStorageLike } from './keychain-key';

/** An OS keychain as safeStorage presents it: AES-GCM under a key only this keychain holds. */
function keychain(options: { available?: boolean } = {}) {
  const secret = randomBytes(32);
  let encryptions = 0;
  const storage: SafeStorageLike = {
    isEncryptionAvailable: () => options.available ?? true,
    encryptString(plain) {
      encryptions++;
      const iv = randomBytes(12);
      const cipher = createCipheriv('aes-256-gcm', secret, iv);
      const body = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
      return Buffer.concat([iv, cipher.getAuthTag(), body]);
    },
    decryptString(encrypted) {
      try {
        const decipher = createDecipheriv('aes-256-gcm', secret, encrypted.subarray(0, 12));
        decipher.setAuthTag(encrypted.subarray(12, 28));
        return Buffer.concat([decipher.update(encrypted.subarray(28)), decipher.final()]).toString('utf8');
      } catch {
        throw new Error('Error while decrypting the ciphertext provided to safeStorage.decryptString.');
      }
    },
  };
  return { storage, encryptions: () => encryptions };
}

/** Every file under secrets/ with a hash of its bytes: what "nothing was changed" means. */
function snapshot(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const name of readdirSync(dir)) out[name] = createHash('sha256').update(readFileSync(path.join(dir, name))).digest('hex');
  return out;
}

describe('the vault key kept by the OS keychain', () => {
  let dataDir: string;
  let secretsDir: string;
  let keyFile: string;
  beforeEach(() => {
    dataDir = mkdtempSync(path.join(os.tmpdir(), 'jetty-keychain-'));
    secretsDir = path.join(dataDir, 'secrets');
    keyFile = path.join(secretsDir, 'vault-key.safe');
  });
  afterEach(() => rmSync(dataDir, { recursive: true, force: true }));

  /** A vault holding one secret, opened with the key the keychain gives. */
  function vaultWithSecret(storage: SafeStorageLike) {
    const vault = openSecretVault(dataDir, keychainVaultKey(storage, dataDir));
    vault.set('OPENAI_API_KEY', 'sk-test-123');
    return vault;
  }

  it('creates a key once, keeps it only sealed (mode 0600), and gives the same key afterwards', () => {
    const os1 = keychain();
    const key = keychainVaultKey(os1.storage, dataDir);
    expect(key).toHaveLength(32);
    const sealed = readFileSync(keyFile);
    expect(sealed.includes(Buffer.from(key!.toString('base64')))).toBe(false);
    expect(sealed.includes(key!)).toBe(false);
    if (process.platform !== 'win32') expect(statSync(keyFile).mode & 0o777).toBe(0o600);

    expect(keychainVaultKey(os1.storage, dataDir)).toEqual(key);
    expect(os1.encryptions()).toBe(1);
    expect(readFileSync(keyFile)).toEqual(sealed);
  });

  it('opens the same secrets on every start', () => {
    const os1 = keychain();
    expect(vaultWithSecret(os1.storage).storage).toBe('keychain');
    const reopened = openSecretVault(dataDir, keychainVaultKey(os1.storage, dataDir));
    expect(reopened.get('OPENAI_API_KEY')).toBe('sk-test-123');
  });

  it('returns no key and writes nothing when the OS has no keychain and none was used before', () => {
    expect(keychainVaultKey(keychain({ available: false }).storage, dataDir)).toBeUndefined();
    expect(() => readdirSync(secretsDir)).toThrow(/ENOENT/);
  });

  it('keeps secrets that `jetty serve` stored with the 0600 key file readable on the first desktop start', () => {
    openSecretVault(dataDir).set('OPENAI_API_KEY', 'sk-from-serve');
    const vault = openSecretVault(dataDir, keychainVaultKey(keychain().storage, dataDir));
    expect(vault.get('OPENAI_API_KEY')).toBe('sk-from-serve');
  });

  it('refuses, changing nothing, when the key was sealed by a keychain that is now unavailable', () => {
    vaultWithSecret(keychain().storage);
    const before = snapshot(secretsDir);
    expect(() => keychainVaultKey(keychain({ available: false }).storage, dataDir)).toThrow(
      `${keyFile} holds the secret vault's key, but the OS keychain is not available`,
    );
    expect(snapshot(secretsDir)).toEqual(before);
  });

  it('refuses, changing nothing, when the keychain cannot decrypt the key file (another keychain, or corrupt)', () => {
    vaultWithSecret(keychain().storage);
    const before = snapshot(secretsDir);
    const other = keychain();
    expect(() => keychainVaultKey(other.storage, dataDir)).toThrow(`${keyFile} cannot be decrypted by the OS keychain`);
    writeFileSync(keyFile, 'garbage');
    const corrupt = snapshot(secretsDir);
    expect(() => keychainVaultKey(other.storage, dataDir)).toThrow(`${keyFile} cannot be decrypted by the OS keychain`);
    expect(snapshot(secretsDir)).toEqual(corrupt);
    expect(Object.keys(corrupt).sort()).toEqual(Object.keys(before).sort());
    expect(corrupt['vault.enc']).toBe(before['vault.enc']);
    expect(other.encryptions()).toBe(0);
  });

  it('refuses, changing nothing, when the key file decrypts to something that is not a 32-byte key', () => {
    const os1 = keychain();
    vaultWithSecret(os1.storage);
    writeFileSync(keyFile, os1.storage.encryptString(randomBytes(16).toString('base64')));
    const before = snapshot(secretsDir);
    expect(() => keychainVaultKey(os1.storage, dataDir)).toThrow(`${keyFile} does not hold a 32-byte key; nothing was changed`);
    expect(snapshot(secretsDir)).toEqual(before);
  });
});
