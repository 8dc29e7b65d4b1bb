/**
 * How a stdio MCP server is started in the sandbox, by the engine or by an agent's CLI: in
 * the run's working directory (which holds the runbook's folder, so `python3 server.py`
 * finds the runbook's own server), under `env -u …`, so it does not inherit the run's
 * secrets or the agent's credentials from the environment it is started in — only what its
 * own `env` names, which the caller adds.
 */
import { SANDBOX_WORKDIR } from '../sandbox/files';
import type { StdioMcpServer } from './servers';

/** The working directory of every stdio server: the run's (the runbook's folder is there). */
export const MCP_SERVER_CWD = SANDBOX_WORKDIR;

/**
 * The command and arguments that start `server` with the variables in `unset` removed from
 * the environment it inherits (its own `env` names are kept: the caller sets them).
 */
export function stdioLaunch(server: StdioMcpServer, unset: Iterable<string>): { command: string; args: string[] } {
  const own = new Set(Object.keys(server.env));
  const drop = [...new Set(unset)].filter((name) => !own.has(name)).sort();
  return { command: 'env', args: [...drop.flatMap((name) => ['-u', name]), '--', server.command, ...server.args] };
}
