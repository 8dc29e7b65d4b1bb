/**
 * Codex's `$CODEX_HOME/config.toml` for a run: one model provider pointing at the run's
 * base URL, speaking the Responses API with the key from an environment variable (an
 * OPENAI_BASE_URL alone does not redirect codex), commands that see the whole environment
 * (the runbook's secrets) except that key, and the run's MCP servers as
 * `[mcp_servers.<name>]` (a stdio one's command, args, env and working directory; an HTTP
 * one at the gateway, with the same key — the run's token — as its bearer token).
 */
import type { CliMcpServer } from '../mcp-servers';

/** The variable codex reads the run's model key from. */
export const CODEX_KEY_VARIABLE = 'JETTY_CODEX_API_KEY';
export const DEFAULT_OPENAI_BASE_URL = 'https://api.openai.com/v1';

/** A TOML basic string (JSON's escapes are TOML's). */
const toml = (value: string) => JSON.stringify(value);

/** A TOML inline table of string values. */
const inlineTable = (values: Record<string, string>) => `{ ${Object.entries(values).map(([k, v]) => `${toml(k)} = ${toml(v)}`).join(', ')} }`;

/** One `[mcp_servers.<name>]` table (server names are bare keys: letters, digits, `-`). */
function mcpServerTable(s: CliMcpServer): string[] {
  const where =
    s.transport === 'stdio'
      ? [`command = ${toml(s.command)}`, `args = [${s.args.map(toml).join(', ')}]`, `cwd = ${toml(s.cwd)}`, ...(Object.keys(s.env).length > 0 ? [`env = ${inlineTable(s.env)}`] : [])]
      : [`url = ${toml(s.url)}`, `bearer_token_env_var = ${toml(CODEX_KEY_VARIABLE)}`];
  return [
    `[mcp_servers.${s.name}]`,
    ...where,
    `startup_timeout_sec = ${Math.ceil(s.server.startupTimeoutMs / 1000)}`,
    `tool_timeout_sec = ${Math.ceil(s.server.toolTimeoutMs / 1000)}`,
    '',
  ];
}

export function codexConfigToml(baseURL: string | undefined, mcpServers: readonly CliMcpServer[] = []): string {
  return [
    'model_provider = "jetty"',
    '',
    '[model_providers.jetty]',
    'name = "Jetty"',
    `base_url = ${toml((baseURL ?? DEFAULT_OPENAI_BASE_URL).replace(/\/+$/, ''))}`,
    `env_key = ${toml(CODEX_KEY_VARIABLE)}`,
    'wire_api = "responses"',
    '',
    '[shell_environment_policy]',
    'inherit = "all"',
    'ignore_default_excludes = true',
    `exclude = [${toml(CODEX_KEY_VARIABLE)}]`,
    '',
    ...mcpServers.flatMap(mcpServerTable),
  ].join('\n');
}
