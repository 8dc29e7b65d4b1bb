import { spawn } from 'node:child_process';
import { parseArgs } from 'node:util';
import { createEngine } from '../../engine/api';
import { resolveDataDir } from '../../engine/base/data-dir';
import { loadApiToken } from '../../engine/server/api-token';
import { createLocalServer } from '../../engine/server/local-server';
import { findRendererDir } from '../../engine/server/renderer-dir';
import type { Command } from '../command';
import { requireFolder } from '../folder-arg';
import { UsageError } from '../usage-error';

const usage = `Usage: jetty serve [folder] [--port N] [--data-dir D] [--no-open]

Serves the Jetty Desktop UI and the local API on 127.0.0.1 and opens <folder>
(default: the current folder). Stops on Ctrl+C.

Options:
  --port N        port to listen on (default 0: a free port, printed at start)
  --data-dir D    data folder (default: JETTY_DATA_DIR, then the platform's app-data folder)
  --no-open       do not open the URL in the default browser
  --otlp-endpoint URL   send each run and passthrough call as OpenTelemetry GenAI spans
                  (OTLP/HTTP JSON, e.g. http://127.0.0.1:4318), over Settings' collector

The URL printed carries the API token in its #fragment. The token is JETTY_API_TOKEN when
set, else the one stored in <data-dir>/api-token.`;

function parse(args: string[]) {
  try {
    return parseArgs({
      args,
      allowPositionals: true,
      options: { port: { type: 'string' }, 'data-dir': { type: 'string' }, 'no-open': { type: 'boolean' }, 'otlp-endpoint': { type: 'string' } },
    });
  } catch (err) {
    throw new UsageError(`serve: ${(err as Error).message}`);
  }
}

function parsePort(value: string | undefined): number {
  if (value === undefined) return 0;
  const port = Number(value);
  if (!/^\d+$/.test(value) || port > 65535) throw new UsageError(`serve: --port must be a number from 0 to 65535, got '${value}'`);
  return port;
}

/** Opens a URL in the default browser, best effort: a machine without one just keeps the printed URL. */
function openBrowser(url: string) {
  const [cmd, ...args] =
    process.platform === 'darwin' ? ['open', url] : process.platform === 'win32' ? ['cmd', '/c', 'start', '', url] : ['xdg-open', url];
  const child = spawn(cmd, args, { stdio: 'ignore', detached: true });
  child.on('error', () => undefined);
  child.unref();
}

/** How long requests in flight get to finish after SIGTERM/SIGINT (their calls are then recorded and flushed). */
const DRAIN_MS = 10_000;
/** The most a stop may take, draining and flushing included. */
const STOP_BOUND_MS = 20_000;

/** Resolves when the process is asked to stop. */
const untilStopped = () =>
  new Promise<void>((resolve) => {
    const stop = () => {
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
      resolve();
    };
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
  });

export const serve: Command = {
  usage,
  async run(args) {
    const { values, positionals } = parse(args);
    if (positionals.length > 1) throw new UsageError(`serve: expected at most one folder, got ${positionals.length}`);
    const port = parsePort(values.port);
    const folder = await requireFolder('serve', positionals[0] ?? '.');
    const staticDir = findRendererDir();
    if (!staticDir) throw new UsageError('serve: the renderer is not built. Run `npm run build` first.');

    const dataDir = resolveDataDir(values['data-dir']);
    const token = await loadApiToken(dataDir);
    // A change of remote asked from the browser is confirmed with a code shown only here, in this terminal.
    const remoteCodes = {
      where: 'the terminal where jetty serve runs',
      show: ({ baseUrl, code }: { baseUrl: string; code: string }) =>
        process.stderr.write(`\nA browser asks to point this Jetty at another remote: ${baseUrl}\nIf that was you, type this code in Settings → Cloud: ${code} (valid 10 minutes). If not, ignore it.\n\n`),
    };
    const engine = await createEngine({ dataDir, folders: [folder], remoteCodes, otlpEndpoint: values['otlp-endpoint'] });
    const server = await createLocalServer({ engine, token, port, staticDir, routes: engine.routes }).catch(async (err: NodeJS.ErrnoException) => {
      await engine.close();
      if (err.code === 'EADDRINUSE') throw new UsageError(`serve: port ${port} is already in use; pick another with --port`);
      throw err;
    });
    await engine.setLocalApi({ baseUrl: server.origin, token }, { cliRuns: true });
    const url = `${server.origin}/#token=${token}`;
    process.stdout.write(`Jetty Desktop is serving ${folder} at ${url}\n`);
    if (!values['no-open']) openBrowser(url);

    await untilStopped();
    process.stdout.write('Stopping…\n');
    // A stop that hangs (a stuck upstream, a stuck disk) still ends the process, with an error.
    const deadline = setTimeout(() => {
      process.stderr.write(`jetty serve: could not stop within ${STOP_BOUND_MS / 1000} s; exiting anyway\n`);
      process.exit(1);
    }, STOP_BOUND_MS).unref();
    await server.close({ drainMs: DRAIN_MS });
    await engine.close();
    clearTimeout(deadline);
    return 0;
  },
};
