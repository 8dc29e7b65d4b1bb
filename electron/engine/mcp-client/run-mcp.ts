/**
 * A run's MCP servers at its start, whatever its agent: each is connected once from the
 * engine (stdio in the sandbox, HTTP through the gateway), all at once, each within its
 * start-up deadline, and its tools listed. A required server that does not start fails the
 * run, naming it with its reason and stderr; an optional one is reported and left out of
 * the agent's configuration. The built-in agent keeps these connections as its MCP
 * client; an agent CLI starts its own from its configuration, so they are closed.
 */
import { connectMcpServer, McpServerStartError, type McpConnectOptions, type McpSession } from './session';
import type { RunMcpServer } from './servers';

export interface RunMcp {
  /** The servers the agent gets: every required one, and the optional ones that started. */
  servers: RunMcpServer[];
  /** Open connections (only when asked to keep them). */
  sessions: McpSession[];
  close(): Promise<void>;
}

export interface StartRunMcpOptions extends McpConnectOptions {
  /** Keep the connections open (the built-in agent), else close them once checked. */
  keep: boolean;
  /** What the check found: a line per server, a warning for an optional one left out. */
  notice(level: 'info' | 'warning', message: string): void;
}

const toolList = (session: McpSession) => {
  const names = session.tools.map((t) => t.name);
  return `${names.length} tool${names.length === 1 ? '' : 's'}${names.length ? `: ${names.slice(0, 20).join(', ')}${names.length > 20 ? ', …' : ''}` : ''}`;
};

/** Connects to every server; throws McpServerStartError (the first required one's) when a required server does not start. */
export async function startRunMcp(servers: readonly RunMcpServer[], options: StartRunMcpOptions): Promise<RunMcp> {
  const outcomes = await Promise.allSettled(servers.map((server) => connectMcpServer(server, options)));
  const sessions = outcomes.flatMap((o) => (o.status === 'fulfilled' ? [o.value] : []));
  const closeAll = () => Promise.all(sessions.map((s) => s.close().catch(() => undefined))).then(() => undefined);
  const failures = outcomes.flatMap((o, i) => (o.status === 'rejected' ? [{ server: servers[i], error: o.reason as unknown }] : []));
  const fatal = failures.find((f) => !f.server.optional || !(f.error instanceof McpServerStartError));
  if (fatal) {
    await closeAll();
    throw fatal.error;
  }
  for (const { error } of failures) options.notice('warning', `${(error as Error).message} (it is optional: the run goes on without it)`);
  for (const session of sessions) options.notice('info', `MCP server '${session.server.name}' (${session.server.transport}) started: ${toolList(session)}`);
  const started = new Set(sessions.map((s) => s.server.name));
  if (!options.keep) await closeAll();
  return {
    servers: servers.filter((s) => started.has(s.name)),
    sessions: options.keep ? sessions : [],
    close: options.keep ? closeAll : async () => undefined,
  };
}
