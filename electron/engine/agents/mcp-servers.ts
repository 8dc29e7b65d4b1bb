/**
 * The run's MCP servers as an agent CLI in the sandbox starts and reaches them, before each
 * CLI writes them in its own format (claude-code's `--mcp-config` file, codex's
 * `[mcp_servers.<name>]`, gemini-cli's `mcpServers`): a stdio server's command line under
 * `env -u` (so it inherits neither the run's secrets nor the CLI's credentials, only its own
 * `env`), in the run's working directory; an HTTP server at the run gateway's `/mcp/<name>`
 * with the run's token, the gateway holding the server's real headers.
 */
import { MCP_SERVER_CWD, stdioLaunch } from '../mcp-client/launch';
import type { HttpMcpServer, RunMcpServer, StdioMcpServer } from '../mcp-client/servers';
import type { AgentMcp } from './types';

export interface CliStdioServer {
  name: string;
  command: string;
  args: string[];
  env: Record<string, string>;
  cwd: string;
  server: StdioMcpServer;
}

export interface CliHttpServer {
  name: string;
  url: string;
  /** The run's token for the gateway, never the server's own credentials. */
  headers: Record<string, string>;
  server: HttpMcpServer;
}

export type CliMcpServer = ({ transport: 'stdio' } & CliStdioServer) | ({ transport: 'http' } & CliHttpServer);

/** Each server as a CLI configures it; `credentials` are the CLI's own variables a server must not inherit (its model key). */
export function cliMcpServers(mcp: AgentMcp | undefined, credentials: readonly string[]): CliMcpServer[] {
  return (mcp?.servers ?? []).map((server: RunMcpServer): CliMcpServer => {
    if (server.transport === 'http') {
      return { transport: 'http', name: server.name, url: mcp!.containerUrl(server.name), headers: { Authorization: `Bearer ${mcp!.token}` }, server };
    }
    const { command, args } = stdioLaunch(server, [...mcp!.unset, ...credentials]);
    return { transport: 'stdio', name: server.name, command, args, env: server.env, cwd: MCP_SERVER_CWD, server };
  });
}

/** The longest start-up and tool timeouts of the servers (for a CLI that takes one for all), in ms. */
export function longestTimeouts(servers: readonly CliMcpServer[]): { startupMs: number; toolMs: number } {
  return {
    startupMs: Math.max(0, ...servers.map((s) => s.server.startupTimeoutMs)),
    toolMs: Math.max(0, ...servers.map((s) => s.server.toolTimeoutMs)),
  };
}
