/**
 * MCP tools' names as agents see them. The built-in agent and claude-code call a server's
 * tool `mcp__<server>__<tool>`; gemini-cli calls it `mcp_<server>_<tool>`; codex reports
 * the server and the tool apart. Server names hold no `_` (runbook/mcp-servers.ts), so the
 * server is read back from a name by the run's own server names, the longest that fits.
 */

/** A function name a chat-completions API takes: letters, digits, `_` and `-`, at most 64 characters. */
const FUNCTION_NAME_MAX = 64;

/** The name the built-in agent offers a server's tool under (and claude-code calls it by). */
export const qualifiedToolName = (server: string, tool: string) => `mcp__${server}__${tool}`;

/**
 * A function name for each (server, tool): `mcp__<server>__<tool>`, with characters a function
 * name cannot hold as `_`, cut to 64 characters, and made unique with a `_2`, `_3`… suffix.
 */
export function functionNames<T extends { server: string; tool: string }>(tools: readonly T[]): Map<string, T> {
  const names = new Map<string, T>();
  for (const entry of tools) {
    const base = qualifiedToolName(entry.server, entry.tool).replace(/[^A-Za-z0-9_-]/g, '_').slice(0, FUNCTION_NAME_MAX);
    let name = base;
    for (let n = 2; names.has(name); n++) name = `${base.slice(0, FUNCTION_NAME_MAX - String(n).length - 1)}_${n}`;
    names.set(name, entry);
  }
  return names;
}

/** The server and tool a CLI's tool name stands for (`style` is its separator: `__` claude-code, `_` gemini-cli), or null. */
export function mcpToolOf(name: string, servers: readonly string[], style: '__' | '_'): { server: string; tool: string } | null {
  const prefix = `mcp${style}`;
  if (!name.startsWith(prefix)) return null;
  const rest = name.slice(prefix.length);
  const server = [...servers].sort((a, b) => b.length - a.length).find((s) => rest.startsWith(`${s}${style}`) && rest.length > s.length + style.length);
  return server ? { server, tool: rest.slice(server.length + style.length) } : null;
}
