import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { readFile, rename, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { pidAlive } from './process-identity';

/**
 * `<dataDir>/serve.json`: where a running `jetty serve` of this data folder listens, so a
 * one-shot `jetty run` can hand it its run (and adopt one of its warm sandboxes) instead of
 * starting Docker work and loading the engine itself. Mode 0600 in the 0700 data folder: only
 * a process that can read this user's data folder finds it. Besides the API token (which a
 * browser holds too), it carries a key of its own, which only a reader of this file has:
 * the serve takes a run with host paths and this process's environment only with that key.
 */
export const SERVE_FILE = 'serve.json';

/** The header carrying the serve file's key on a run `jetty run` hands over (what sets it apart from a browser's call). */
export const CLI_KEY_HEADER = 'x-jetty-cli-key';
/** Where a serve takes a run `jetty run` hands over, under `/api/v1` (`server/rest/cli-runs.ts`). */
export const CLI_RUNS_ROUTE = '/cli-runs';

export interface ServeInfo {
  pid: number;
  /** http://127.0.0.1:<port> */
  origin: string;
  /** The local API token. */
  token: string;
  /** The key a run handed over from this machine's CLI must carry. */
  key: string;
  /** The serve's version: a CLI of another version runs on its own. */
  version: string;
}

/** The file is a few hundred bytes; anything larger is not ours. */
const MAX_BYTES = 4096;

/** A fresh key for `ServeInfo.key`. */
export const newServeKey = (): string => randomBytes(32).toString('base64url');

function parse(text: string): ServeInfo | null {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return null;
  }
  const v = value as Partial<ServeInfo> | null;
  if (typeof v !== 'object' || v === null) return null;
  if (!Number.isSafeInteger(v.pid) || (v.pid as number) <= 0) return null;
  if (typeof v.origin !== 'string' || !/^http:\/\/127\.0\.0\.1:\d{1,5}$/.test(v.origin)) return null;
  if (typeof v.token !== 'string' || typeof v.key !== 'string' || typeof v.version !== 'string' || v.token === '' || v.key === '') return null;
  return { pid: v.pid as number, origin: v.origin, token: v.token, key: v.key, version: v.version };
}

/**
 * The serve this data folder's file names, when its process is alive; null when there is
 * none, the file is not one, or its process is gone (a serve killed with -9 leaves it).
 * Synchronous and small: read on the CLI's start-up path.
 */
export function readServeFile(dataDir: string): ServeInfo | null {
  let text: string;
  try {
    const buffer = readFileSync(path.join(dataDir, SERVE_FILE));
    if (buffer.length > MAX_BYTES) return null;
    text = buffer.toString('utf8');
  } catch {
    return null;
  }
  const info = parse(text);
  return info && pidAlive(info.pid) ? info : null;
}

/**
 * Writes the file (whole or not at all: a temporary file renamed over it); the answer
 * removes it, if it is still this process's (a later serve of the same folder may have
 * replaced it).
 */
export async function publishServeFile(dataDir: string, info: ServeInfo): Promise<() => Promise<void>> {
  const file = path.join(dataDir, SERVE_FILE);
  const temporary = `${file}.${process.pid}.tmp`;
  await writeFile(temporary, `${JSON.stringify(info)}\n`, { mode: 0o600 });
  await rename(temporary, file);
  return async () => {
    const now = await readFile(file, 'utf8').then(parse, () => null);
    if (now?.pid === info.pid && now.key === info.key) await rm(file, { force: true });
  };
}
