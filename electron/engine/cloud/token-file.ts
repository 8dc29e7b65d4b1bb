import { chmodSync, existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

/** `~/.config/jetty/token` under `home` (tests point HOME at a temp folder). */
export const tokenDir = (home: string): string => path.join(home, '.config', 'jetty');
export const tokenFile = (home: string): string => path.join(tokenDir(home), 'token');

/** The folder the token lives in, from the environment's HOME (else the OS's). */
export const homeOf = (env: NodeJS.ProcessEnv): string => env.HOME || env.USERPROFILE || os.homedir();

const LEGACY_TOKEN = /\bmlc_[A-Za-z0-9_-]{8,}/;

/**
 * Legacy token places (inferred from the seed, which names "a token starting with mlc_"
 * in a file before `~/.config/jetty/token`): a CLAUDE.md in the working folder or in
 * `~/.claude/`.
 */
const legacyFiles = (home: string, cwd: string): string[] => [path.join(cwd, 'CLAUDE.md'), path.join(home, '.claude', 'CLAUDE.md')];

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
export type TokenSource = 'env' | 'file' | 'legacy';

/**
 * The token: `~/.config/jetty/token` (what `jetty login` and Settings write), else
 * `JETTY_API_TOKEN`, else one found in a legacy place (then migrated to the token file).
 * The file comes first because `jetty serve` also reads JETTY_API_TOKEN as its own local
 * token. Null when signed out.
 */
export function readToken(env: NodeJS.ProcessEnv, cwd = process.cwd()): { token: string; source: TokenSource } | null {
  const home = homeOf(env);
  try {
    const saved = readFileSync(tokenFile(home), 'utf8').trim();
    if (saved) return { token: saved, source: 'file' };
  } catch {
    // no token file: the environment, then the legacy places
  }
  const fromEnv = env.JETTY_API_TOKEN?.trim();
  if (fromEnv) return { token: fromEnv, source: 'env' };
  for (const file of legacyFiles(home, cwd)) {
    let text: string;
    try {
      text = readFileSync(file, 'utf8');
    } catch {
      continue;
    }
    const found = text.match(LEGACY_TOKEN)?.[0];
    if (found) {
      saveToken(home, found);
      return { token: found, source: 'legacy' };
    }
  }
  return null;
}
