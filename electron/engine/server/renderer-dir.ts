import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * Where the built renderer lives. The CLI is bundled into `out/main/` (possibly with shared
 * chunks one level deeper) and the renderer into `out/renderer/`; running from source the
 * build sits in `<repo>/out/renderer`. `JETTY_RENDERER_DIR` overrides; null when not built.
 */
export function findRendererDir(env: NodeJS.ProcessEnv = process.env, from: string = import.meta.url): string | null {
  if (env.JETTY_RENDERER_DIR) return path.resolve(env.JETTY_RENDERER_DIR);
  let dir = path.dirname(fileURLToPath(from));
  for (let i = 0; i < 6; i++) {
    const candidates = [path.join(dir, 'out', 'renderer')];
    if (path.basename(dir) === 'out') candidates.unshift(path.join(dir, 'renderer'));
    const hit = candidates.find((c) => existsSync(path.join(c, 'index.html')));
    if (hit) return hit;
    dir = path.dirname(dir);
  }
  return null;
}
