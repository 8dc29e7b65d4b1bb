import { chmodSync, existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

/** `~/.config/jetty/token` under `home` (tests point HOME at a temp folder). */
export const tokenDir = (home: string): string => path.join(home, '.config', 'jetty');
export const tokenFile = (home: string): string => path.join(tokenDir(home), 'token');

/** The folder the token lives in, from the environment's HOME (else the OS's). */
export const homeOf = (env: NodeJS.ProcessEnv): string => env.HOME || env.USERPROFILE || os.homedir();

const LEGACY_TOKEN = /\bmlc_[A-Za-z0-9_-]{8,}/;

/** Shows a token as `mlc_ab…yz`: never the whole of it. */
export function redactToken(token: string): string {
  if (token.length <= 8) return '…';
  const head = token.startsWith('mlc_') ? 6 : 2;
  return `${token.slice(0, head)}…${token.slice(-2)}`;
}

/** Writes the token with the seed's modes: folder 0700, file 0600, replaced atomically. */
export function saveToken(home: string, token: string): void {
  const dir = tokenDir(home);
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  chmodSync(dir, 0o700);
  const tmp = `${tokenFile(home)}.${process.pid}.tmp`;
  writeFileSync(tmp, token, { mode: 0o600 });
  chmodSync(tmp, 0o600);
  renameSync(tmp, tokenFile(home));
}

export function deleteToken(home: string): boolean {
  const file = tokenFile(home);
  if (!existsSync(file)) return false;
  rmSync(file, { force: true });
  return true;
}

/** Where the token came from, for `jetty whoami` and Settings. */
export type TokenSource = 'env' | 'file';

/**
 * The remote token: `~/.config/jetty/token` (what `jetty login` and Settings write), else
 * `JETTY_CLOUD_TOKEN`. Nothing else is ever sent to a remote: `JETTY_API_TOKEN` is the
 * local server's own token and never leaves the machine, and no file the user did not
 * name (a CLAUDE.md in a cloned repository) is read. Null when signed out.
 */
export function readToken(env: NodeJS.ProcessEnv): { token: string; source: TokenSource } | null {
  try {
    const saved = readFileSync(tokenFile(homeOf(env)), 'utf8').trim();
    if (saved) return { token: saved, source: 'file' };
  } catch {
    // no token file: the environment
  }
  const fromEnv = env.JETTY_CLOUD_TOKEN?.trim();
  return fromEnv ? { token: fromEnv, source: 'env' } : null;
}

/**
 * The token in a file the user named (`jetty login --import FILE`: a legacy place such as
 * a CLAUDE.md that holds `mlc_…`), or null when it holds none. Reads at most 1 MiB.
 */
export function tokenInFile(file: string): string | null {
  const text = readFileSync(file).subarray(0, 1024 * 1024).toString('utf8');
  return text.match(LEGACY_TOKEN)?.[0] ?? null;
}
