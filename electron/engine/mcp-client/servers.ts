/**
 * A run's MCP servers with their values filled in: each declaration's `{{secrets.X}}` with
 * the secret's value and `{{param}}` with the run's parameter, once, when the run is
 * prepared. A server whose secret has no value is a problem that stops the run, or, when
 * the server is optional, is skipped with the reason. The values live in the engine's
 * memory only: stdio servers get theirs as their environment, HTTP servers' headers stay
 * with the gateway.
 */
import type { McpServerDeclaration } from '../../../shared/runbook';
import { TEMPLATE_REF } from '../runbook/markdown-scan';

export const DEFAULT_STARTUP_TIMEOUT_MS = 30_000;
export const DEFAULT_TOOL_TIMEOUT_MS = 300_000;

interface RunMcpServerBase {
  name: string;
  optional: boolean;
  /** How long `initialize` and `tools/list` may take together. */
  startupTimeoutMs: number;
  /** How long one tool call may take. */
  toolTimeoutMs: number;
}

/** A stdio server, started in the sandbox's working directory with its own environment. */
export interface StdioMcpServer extends RunMcpServerBase {
  transport: 'stdio';
  command: string;
  args: string[];
  /** Its environment (secrets filled in): added to the sandbox's, whose run secrets it does not get. */
  env: Record<string, string>;
}

/** A Streamable HTTP server, reached through the run's gateway, which adds `headers`. */
export interface HttpMcpServer extends RunMcpServerBase {
  transport: 'http';
  url: string;
  headers: Record<string, string>;
}

export type RunMcpServer = StdioMcpServer | HttpMcpServer;

export interface ResolvedMcpServers {
  servers: RunMcpServer[];
  /** Optional servers left out, each with why. */
  skipped: { name: string; reason: string }[];
  /** Why required servers cannot be given (the run cannot start). */
  problems: string[];
}

export interface McpValues {
  /** A secret's value by its name or its `env` name; undefined when it has none. */
  secret(name: string): string | undefined;
  /** The run's parameters. */
  params: Readonly<Record<string, string>>;
}

/** Fills in a value's references; the secrets it names that have no value go to `missing`. */
function fill(value: string, values: McpValues, missing: Set<string>): string {
  return value.replace(TEMPLATE_REF, (match, ref: string) => {
    if (!ref.startsWith('secrets.')) return values.params[ref] ?? match;
    const name = ref.slice('secrets.'.length);
    const secret = values.secret(name);
    if (secret === undefined || secret === '') missing.add(name);
    return secret ?? '';
  });
}

const fillAll = (record: Record<string, string> | undefined, values: McpValues, missing: Set<string>) =>
  Object.fromEntries(Object.entries(record ?? {}).map(([k, v]) => [k, fill(v, values, missing)]));

export function resolveMcpServers(declarations: readonly McpServerDeclaration[], values: McpValues): ResolvedMcpServers {
  const out: ResolvedMcpServers = { servers: [], skipped: [], problems: [] };
  for (const d of declarations) {
    const missing = new Set<string>();
    const base = {
      name: d.name,
      optional: d.optional,
      startupTimeoutMs: (d.startup_timeout_seconds ?? DEFAULT_STARTUP_TIMEOUT_MS / 1000) * 1000,
      toolTimeoutMs: (d.tool_timeout_seconds ?? DEFAULT_TOOL_TIMEOUT_MS / 1000) * 1000,
    };
    const server: RunMcpServer =
      d.transport === 'stdio'
        ? { ...base, transport: 'stdio', command: fill(d.command ?? '', values, missing), args: (d.args ?? []).map((a) => fill(a, values, missing)), env: fillAll(d.env, values, missing) }
        : { ...base, transport: 'http', url: fill(d.url ?? '', values, missing), headers: fillAll(d.headers, values, missing) };
    if (missing.size === 0) {
      out.servers.push(server);
      continue;
    }
    const names = [...missing].map((n) => `'${n}'`).join(', ');
    const reason = `it needs the secret${missing.size > 1 ? 's' : ''} ${names}, which ${missing.size > 1 ? 'have' : 'has'} no value`;
    if (d.optional) out.skipped.push({ name: d.name, reason });
    else out.problems.push(`MCP server '${d.name}': ${reason} (pass it with the run, or set it in the collection's environment or Settings → Secrets)`);
  }
  return out;
}
