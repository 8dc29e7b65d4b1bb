import { mkdirSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

/** The data folder: an explicit flag, then JETTY_DATA_DIR, then the platform's app-data folder. */
export function resolveDataDir(flag?: string, env: NodeJS.ProcessEnv = process.env): string {
  const chosen = flag ?? env.JETTY_DATA_DIR ?? defaultDataDir(env);
  const dir = path.resolve(chosen);
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  return dir;
}

function defaultDataDir(env: NodeJS.ProcessEnv): string {
  const home = os.homedir();
  if (process.platform === 'darwin') return path.join(home, 'Library', 'Application Support', 'Jetty Desktop');
  if (process.platform === 'win32') return path.join(env.APPDATA ?? path.join(home, 'AppData', 'Roaming'), 'Jetty Desktop');
  return path.join(env.XDG_DATA_HOME ?? path.join(home, '.local', 'share'), 'jetty-desktop');
}
