import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import path from 'node:path';

const FORMAT = 1;
const KEY_BYTES = 32;
const IV_BYTES = 12;
const TAG_BYTES = 16;

const KEY_FILE = 'secrets.key';

/** Whether `<dir>` holds a key file (an app whose key is in the OS keychain has none). */
export const hasKeyFile = (dir: string): boolean => existsSync(path.join(dir, KEY_FILE));

/**
 * The key for files encrypted at rest: `<dir>/secrets.key` (mode 0600), created on first
 * use. The Electron shell may instead pass a key it keeps in the OS keychain.
 */
export function loadOrCreateKey(dir: string): Buffer {
  const file = path.join(dir, KEY_FILE);
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  if (existsSync(file)) {
    const key = Buffer.from(readFileSync(file, 'utf8').trim(), 'base64');
    if (key.length !== KEY_BYTES) throw new Error(`${file} is not a ${KEY_BYTES}-byte key; move it aside to start with no stored secrets`);
    chmodSync(file, 0o600);
    return key;
  }
  const key = randomBytes(KEY_BYTES);
  writeFileSync(file, `${key.toString('base64')}\n`, { mode: 0o600, flag: 'wx' });
  return key;
}

/** Reads a JSON value encrypted with AES-256-GCM; a missing file reads as `fallback`. */
export function readEncryptedJson<T>(file: string, key: Buffer, fallback: T): T {
  if (!existsSync(file)) return fallback;
  const data = readFileSync(file);
  if (data[0] !== FORMAT || data.length < 1 + IV_BYTES + TAG_BYTES) throw new Error(`${file} is not an encrypted secrets file`);
  const iv = data.subarray(1, 1 + IV_BYTES);
  const tag = data.subarray(1 + IV_BYTES, 1 + IV_BYTES + TAG_BYTES);
  const decipher = createDecipheriv('aes-256-gcm', key, iv);
  decipher.setAuthTag(tag);
  try {
    const plain = Buffer.concat([decipher.update(data.subarray(1 + IV_BYTES + TAG_BYTES)), decipher.final()]);
    return JSON.parse(plain.toString('utf8')) as T;
  } catch {
    throw new Error(`${file} cannot be decrypted with this key (was the key file replaced?)`);
  }
}

/** Writes a JSON value encrypted with AES-256-GCM, atomically (temp file + rename), mode 0600. */
export function writeEncryptedJson(file: string, key: Buffer, value: unknown): void {
  const iv = randomBytes(IV_BYTES);
  const cipher = createCipheriv('aes-256-gcm', key, iv);
  const body = Buffer.concat([cipher.update(JSON.stringify(value), 'utf8'), cipher.final()]);
  const tmp = `${file}.${process.pid}.tmp`;
  writeFileSync(tmp, Buffer.concat([Buffer.from([FORMAT]), iv, cipher.getAuthTag(), body]), { mode: 0o600 });
  renameSync(tmp, file);
}
