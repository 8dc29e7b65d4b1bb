import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * Finds `resources/<name>` shipped with the app: `env[override]` when set, else the first
 * `resources/<name>` found walking up from this module (source tree, `out/main/` bundle or
 * a packaged app). Returns null when there is none.
 */
export function findResourcesSubdir(
  name: string,
  override: string,
  env: NodeJS.ProcessEnv = process.env,
  from: string = import.meta.url,
): string | null {
  if (env[override]) return path.resolve(env[override]);
  let dir = path.dirname(fileURLToPath(from));
  for (let i = 0; i < 8; i++) {
    const candidate = path.join(dir, 'resources', name);
    if (existsSync(candidate)) return candidate;
    dir = path.dirname(dir);
  }
  return null;
}
