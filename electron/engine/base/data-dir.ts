import { chmodSync, mkdirSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

/** The data folder: an explicit flag, then JETTY_DATA_DIR, then the platform's app-data folder. */
export function resolveDataDir(flag?: string, env: NodeJS.ProcessEnv = process.env): string {
  const chosen = flag ?? env.JETTY_DATA_DIR ?? defaultDataDir(env);
  const dir = path.resolve(chosen);
  ensurePrivateDir(dir);
  return dir;
}

/**
 * Makes `dir` (creating it if missing) readable by its owner only, 0700, whatever mode an
 * existing folder had: everything the engine keeps under it (the database, the passthrough
 * journal, artifacts, uploads) is then out of other users' reach. A folder this user does
 * not own keeps its mode (chmod is refused), as on systems without POSIX modes.
 */
export function ensurePrivateDir(dir: string): void {
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  restrictToOwner(dir, 0o700);
}

/** chmod that gives up quietly where it is not allowed (not the owner, no POSIX modes). */
export function restrictToOwner(file: string, mode: 0o600 | 0o700): void {
  try {
    chmodSync(file, mode);
  } catch {
    // not ours to change, or already gone
  }
}

function defaultDataDir(env: NodeJS.ProcessEnv): string {
  const home = os.homedir();
  if (process.platform === 'darwin') return path.join(home, 'Library', 'Application Support', 'Jetty Desktop');
  if (process.platform === 'win32') return path.join(env.APPDATA ?? path.join(home, 'AppData', 'Roaming'), 'Jetty Desktop');
  return path.join(env.XDG_DATA_HOME ?? path.join(home, '.local', 'share'), 'jetty-desktop');
}
