import { randomBytes } from 'node:crypto';
import { Console } from 'node:console';
import { parseArgs } from 'node:util';
import { resolveDataDir } from '../../engine/base/data-dir';
import { engineBackend } from '../../engine/mcp/backend';
import { createJettyMcpServer } from '../../engine/mcp/server';
import { serveStdio } from '../../engine/mcp/stdio';
import { withoutHostPaths } from '../../engine/http/respond';
import type { Command } from '../command';
import { requireFolder } from '../folder-arg';
import { UsageError } from '../usage-error';

const usage = `Usage: jetty mcp [folder] [--data-dir D]

Serves the local engine as an MCP server over standard input and output, for an agent
CLI's MCP configuration (Claude Code, Codex, Gemini CLI). Opens <folder> (default: the
current folder), whose runbooks run-runbook and lint-runbook take. Standard output
carries only MCP messages; logs go to standard error. Stops when standard input closes.

Tools: Jetty's public MCP catalog (list-collections, get-collection, list-tasks, get-task,
create-task, update-task, run-workflow, run-workflow-sync, list-trajectories,
get-trajectory, get-stats, add-label, list-step-templates, get-step-template,
check-secrets, set-environment-vars, list-routines, get-routine, create-routine,
update-routine, delete-routine, pause-routine, resume-routine, run-routine-now,
list-routine-runs) on local data, plus lint-runbook, run-runbook and
get-run-events. run-runbook's named secrets are read from this process's environment.

Options:
  --data-dir D    data folder (default: JETTY_DATA_DIR, then the platform's app-data folder)

The same tools are served over Streamable HTTP at /mcp by jetty serve (with its API token).`;

/** The largest MCP message taken on standard input (a 16 MiB runbook text, JSON-escaped, fits). */
const MAX_MESSAGE_BYTES = 40 * 1024 * 1024;
/** How long runs cancelled at shutdown get to stop (their containers removed) before the engine closes anyway. */
const STOP_BOUND_MS = 20_000;

function parse(args: string[]) {
  try {
    return parseArgs({ args, allowPositionals: true, options: { 'data-dir': { type: 'string' } } });
  } catch (err) {
    throw new UsageError(`mcp: ${(err as Error).message}`);
  }
}

/** Standard output is the MCP stream: whatever any module logs goes to standard error. */
function logsToStderr() {
  const errors = new Console({ stdout: process.stderr, stderr: process.stderr });
  for (const name of ['log', 'info', 'debug', 'dir', 'table'] as const) console[name] = errors[name].bind(errors) as never;
}

/**
 * The engine, in this process as `jetty serve` opens it, with a local server on 127.0.0.1:0
 * and a fresh token (the public tools call it over loopback). Loaded after the MCP server
 * is connected, so `initialize` and `tools/list` are answered while it starts.
 */
async function openEngine(dataDir: string, folder: string) {
  const [{ createEngine }, { createLocalServer }] = await Promise.all([import('../../engine/api'), import('../../engine/server/local-server')]);
  const engine = await createEngine({ dataDir, folders: [folder] });
  const token = randomBytes(32).toString('base64url');
  const server = await createLocalServer({ engine, token, staticDir: null, routes: engine.routes }).catch(async (err: unknown) => {
    await engine.close();
    throw err;
  });
  await engine.setLocalApi({ baseUrl: server.origin, token });
  return { engine, server };
}

async function stop(opened: Awaited<ReturnType<typeof openEngine>>) {
  const runs = opened.engine.services.runner.active();
  for (const run of runs) run.cancel();
  const deadline = new Promise((resolve) => setTimeout(resolve, STOP_BOUND_MS).unref());
  await Promise.race([Promise.allSettled(runs.map((r) => r.done)), deadline]);
  await opened.server.close();
  await opened.engine.close();
}

export const mcp: Command = {
  usage,
  async run(args) {
    const { values, positionals } = parse(args);
    if (positionals.length > 1) throw new UsageError(`mcp: expected at most one folder, got ${positionals.length}`);
    const folder = await requireFolder('mcp', positionals[0] ?? '.');
    const dataDir = resolveDataDir(values['data-dir']);
    logsToStderr();
    const log = (line: string) => process.stderr.write(`${line}\n`);

    const opening = openEngine(dataDir, folder);
    // A failed start is logged once; every tool call then fails saying so (tools/list still answers).
    const started = opening.catch((err: unknown) => {
      log(`jetty mcp: the local engine could not start: ${err instanceof Error ? err.message : String(err)}`);
      return new Error(`the local engine could not start: ${withoutHostPaths(err)}`);
    });
    const server = createJettyMcpServer(async () => {
      const opened = await started;
      if (opened instanceof Error) throw opened;
      return engineBackend(opened.engine, process.env);
    });
    const stopSignal = new Promise<void>((resolve) => {
      process.once('SIGINT', resolve);
      process.once('SIGTERM', resolve);
    });
    await Promise.race([serveStdio(server, { stdin: process.stdin, stdout: process.stdout, maxMessageBytes: MAX_MESSAGE_BYTES, log }), stopSignal]);

    // The client is gone: calls in flight are aborted (a run they started is cancelled), then the engine closes.
    await server.close();
    const opened = await started;
    if (!(opened instanceof Error)) await stop(opened);
    return 0;
  },
};
