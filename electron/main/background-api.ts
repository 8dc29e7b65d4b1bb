import type { Engine } from '../engine/api';
import { loadApiToken } from '../engine/server/api-token';
import { createLocalServer } from '../engine/server/local-server';

/** The desktop app's default port for the local Jetty API (JETTY_API_PORT overrides it). */
export const DEFAULT_API_PORT = 7744;

/**
 * Serves the Jetty API on 127.0.0.1 in the background while the app runs, on
 * JETTY_API_PORT or 7744 (a free port when that one is taken), and tells the engine
 * where, so Settings can show the base URL and token.
 */
export async function startBackgroundApi(engine: Engine, dataDir: string, env: NodeJS.ProcessEnv = process.env) {
  const token = await loadApiToken(dataDir, env);
  const wanted = env.JETTY_API_PORT === undefined ? DEFAULT_API_PORT : Number(env.JETTY_API_PORT);
  const start = (port: number) => createLocalServer({ engine, token, port, staticDir: null, routes: engine.routes });
  const server = await start(wanted).catch((err: NodeJS.ErrnoException) => {
    if (err.code !== 'EADDRINUSE') throw err;
    return start(0);
  });
  // `jetty run` of this data folder hands its runs to the app's warm sandboxes while it runs.
  await engine.setLocalApi({ baseUrl: server.origin, token }, { cliRuns: true });
  return server;
}
