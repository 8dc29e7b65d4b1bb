/**
 * A runbook's MCP servers: `mcp_servers:` in its frontmatter, and its collection's in
 * `collection.json` (the folder above the runbook's), each a name mapped to a stdio server
 * (`command`, `args`, `env`: started inside the sandbox, in the run's working directory) or
 * a Streamable HTTP one (`url`, `headers`: reached through the run's gateway, which holds
 * the headers), with `optional`, `startup_timeout_seconds` and `tool_timeout_seconds`.
 * Values may hold `{{secrets.X}}` (in `env`, `headers` and `url`) and `{{param}}`
 * references; they stay references here and are filled in when a run starts.
 */
import type { McpServerDeclaration } from '../../../shared/runbook';
import type { Code } from './codes';
import { TEMPLATE_REF } from './markdown-scan';

/** The collection's settings file, in the collection's folder (the runbook folder's parent). */
export const COLLECTION_FILE = 'collection.json';
export const MCP_SERVERS_KEY = 'mcp_servers';

/**
 * Letters, digits and `-`: a server's name becomes part of tool names (`mcp__<server>__<tool>`
 * for claude-code and the built-in agent, `mcp_<server>_<tool>` for gemini-cli, which splits at
 * the first `_`), a TOML key and a URL path segment.
 */
export const MCP_SERVER_NAME = /^[A-Za-z0-9][A-Za-z0-9-]{0,47}$/;
const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;
/** An HTTP header name (RFC 9110 token). */
const HEADER_NAME = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;
/** Headers the gateway sets itself on the way to the server. */
const RESERVED_HEADERS = new Set(['host', 'content-length', 'content-type', 'accept', 'connection', 'transfer-encoding', 'mcp-session-id', 'mcp-protocol-version', 'last-event-id']);
const MAX_TIMEOUT_SECONDS = 3600;
const KEYS = ['type', 'command', 'args', 'env', 'url', 'headers', 'optional', 'startup_timeout_seconds', 'tool_timeout_seconds'];
const TYPES: Record<string, 'stdio' | 'http'> = { stdio: 'stdio', http: 'http', 'streamable-http': 'http', streamable_http: 'http' };

/** One thing wrong with a declaration: its code, what, and where (the keys under `mcp_servers`). */
export interface McpProblem {
  code: Extract<Code, 'RB035' | 'RB036' | 'RB037'>;
  message: string;
  path: string[];
  hint?: string;
}

type Source = McpServerDeclaration['source'];
const isObject = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === 'object' && !Array.isArray(v);
const isScalar = (v: unknown): v is string | number | boolean => typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean';

function parseUrl(text: string): URL | null {
  try {
    return new URL(text);
  } catch {
    return null;
  }
}

/** The secrets a value refers to (`{{secrets.X}}` → X). */
export function secretRefsIn(value: string): string[] {
  const names: string[] = [];
  for (const m of value.matchAll(TEMPLATE_REF)) if (m[1].startsWith('secrets.')) names.push(m[1].slice('secrets.'.length));
  return names;
}

/** Every secret a declaration refers to, in its env, headers and url. */
export function secretsOfServer(server: McpServerDeclaration): string[] {
  const values = [...Object.values(server.env ?? {}), ...Object.values(server.headers ?? {}), server.url ?? ''];
  return [...new Set(values.flatMap(secretRefsIn))];
}

/** Reads one server's settings; problems go to `problems`. Null when it cannot be used at all. */
function readServer(name: string, raw: unknown, source: Source, problems: McpProblem[]): McpServerDeclaration | null {
  const problem = (code: McpProblem['code'], message: string, path: string[] = [], hint?: string) =>
    problems.push({ code, message: `MCP server '${name}': ${message}`, path: [name, ...path], ...(hint ? { hint } : {}) });
  if (!MCP_SERVER_NAME.test(name)) {
    problems.push({ code: 'RB035', message: `MCP server name '${name}' is not 1–48 letters, digits or '-' (starting with a letter or digit)`, path: [name], hint: 'Agents join server and tool names with underscores: name it e.g. `github-docs`.' });
    return null;
  }
  if (!isObject(raw)) {
    problem('RB035', 'is not a mapping of settings', [], 'Give `command` (and `args`, `env`) for a stdio server, or `url` (and `headers`) for an HTTP one.');
    return null;
  }
  const before = problems.length;
  for (const key of Object.keys(raw)) if (!KEYS.includes(key)) problem('RB035', `unknown setting '${key}'`, [key], `Settings: ${KEYS.join(', ')}.`);

  const strings = (key: 'args', value: unknown): string[] | undefined => {
    if (value === undefined || value === null) return undefined;
    if (!Array.isArray(value) || !value.every(isScalar)) return void problem('RB035', `'${key}' is not a list of strings`, [key]);
    return value.map(String);
  };
  const mapping = (key: 'env' | 'headers', value: unknown, valid: RegExp, what: string): Record<string, string> | undefined => {
    if (value === undefined || value === null) return undefined;
    if (!isObject(value)) return void problem('RB035', `'${key}' is not a mapping`, [key]);
    const out: Record<string, string> = {};
    for (const [k, v] of Object.entries(value)) {
      if (!valid.test(k)) problem('RB035', `'${key}.${k}' is not a valid ${what}`, [key, k]);
      else if (key === 'headers' && RESERVED_HEADERS.has(k.toLowerCase())) problem('RB035', `header '${k}' is set by the gateway, not by the runbook`, [key, k]);
      else if (!isScalar(v)) problem('RB035', `'${key}.${k}' is not a string`, [key, k]);
      else out[k] = String(v);
    }
    return out;
  };
  const seconds = (key: 'startup_timeout_seconds' | 'tool_timeout_seconds'): number | undefined => {
    const value = raw[key];
    if (value === undefined || value === null) return undefined;
    if (typeof value === 'number' && Number.isFinite(value) && value > 0 && value <= MAX_TIMEOUT_SECONDS) return value;
    return void problem('RB035', `'${key}' is not a number of seconds between 0 and ${MAX_TIMEOUT_SECONDS}`, [key]);
  };

  const command = raw.command;
  const url = raw.url;
  const type = raw.type === undefined || raw.type === null ? null : String(raw.type);
  const named = type === null ? null : (TYPES[type] ?? null);
  if (type !== null && named === null) {
    problem('RB036', `transport '${type}' is not one Jetty runs (stdio, or Streamable HTTP: 'http')`, ['type'], 'SSE-only and WebSocket servers are not supported; most servers also speak Streamable HTTP.');
  }
  let transport: 'stdio' | 'http' | null = null;
  if (command !== undefined && url !== undefined) {
    problem('RB036', 'has both `command` (stdio) and `url` (HTTP)', [], 'Keep one: `command` starts it in the sandbox, `url` reaches it through the gateway.');
  } else if (command !== undefined) {
    transport = 'stdio';
    if (typeof command !== 'string' || command.trim() === '') problem('RB035', '`command` is not a non-empty string', ['command']);
  } else if (url !== undefined) {
    transport = 'http';
    const parsed = typeof url === 'string' ? parseUrl(url.replace(TEMPLATE_REF, 'x')) : null;
    if (!parsed || !['http:', 'https:'].includes(parsed.protocol)) {
      problem('RB036', `url ${JSON.stringify(url)} is not an http(s) URL`, ['url'], 'Streamable HTTP servers are reached at an http:// or https:// URL.');
      transport = null;
    }
  } else {
    problem('RB036', 'has neither `command` (stdio) nor `url` (HTTP)', [], 'Give `command` to start it in the sandbox, or `url` to reach it through the gateway.');
  }
  if (named !== null && transport !== null && named !== transport) problem('RB036', `says type '${type}' but gives ${transport === 'stdio' ? '`command`' : '`url`'}`, ['type']);
  if (transport === 'stdio' && raw.headers !== undefined) problem('RB036', '`headers` apply to HTTP servers, not to a stdio one', ['headers'], 'Pass what a stdio server needs in `env`.');
  if (transport === 'http' && (raw.args !== undefined || raw.env !== undefined)) {
    problem('RB036', '`args` and `env` apply to stdio servers, not to an HTTP one', [raw.env !== undefined ? 'env' : 'args'], 'Pass what an HTTP server needs in `headers`.');
  }
  if (raw.optional !== undefined && typeof raw.optional !== 'boolean') problem('RB035', '`optional` is not true or false', ['optional']);

  const args = strings('args', raw.args);
  const env = mapping('env', raw.env, ENV_NAME, 'environment variable name');
  const headers = mapping('headers', raw.headers, HEADER_NAME, 'header name');
  const startup = seconds('startup_timeout_seconds');
  const tool = seconds('tool_timeout_seconds');
  if (transport === 'stdio') {
    const inCommand = [typeof command === 'string' ? command : '', ...(args ?? [])].flatMap(secretRefsIn);
    if (inCommand.length > 0) {
      problem('RB037', `secret '${inCommand[0]}' is in its command or args, where the sandbox's process list and the agent's config show it`, [args?.some((a) => secretRefsIn(a).length > 0) ? 'args' : 'command'], `Pass it in \`env\` (e.g. \`env: { ${inCommand[0]}: "{{secrets.${inCommand[0]}}}" }\`) and read it there.`);
    }
  }
  if (problems.length > before || transport === null) return null;
  return {
    name,
    transport,
    ...(transport === 'stdio' ? { command: String(command), ...(args ? { args } : {}), ...(env ? { env } : {}) } : { url: String(url), ...(headers ? { headers } : {}) }),
    optional: raw.optional === true,
    ...(startup !== undefined ? { startup_timeout_seconds: startup } : {}),
    ...(tool !== undefined ? { tool_timeout_seconds: tool } : {}),
    source,
  };
}

/** The servers of one `mcp_servers` mapping, and what is wrong with it. */
export function readMcpServers(value: unknown, source: Source): { servers: McpServerDeclaration[]; problems: McpProblem[] } {
  const problems: McpProblem[] = [];
  if (value === undefined || value === null) return { servers: [], problems };
  if (!isObject(value)) {
    problems.push({ code: 'RB035', message: '`mcp_servers` is not a mapping of server names to their settings', path: [], hint: 'Write `mcp_servers:` then one `name:` per server, with its `command` or `url` below it.' });
    return { servers: [], problems };
  }
  const servers = Object.entries(value).flatMap(([name, raw]) => readServer(name, raw, source, problems) ?? []);
  return { servers, problems };
}

/** The collection file's servers, or why it cannot be used (not JSON, not an object). */
export function readCollectionMcpServers(text: string): { servers: McpServerDeclaration[]; problems: McpProblem[] } | { unusable: string } {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (error) {
    return { unusable: `not valid JSON (${(error as Error).message})` };
  }
  if (!isObject(data)) return { unusable: 'not a JSON object' };
  return readMcpServers(data[MCP_SERVERS_KEY], 'collection');
}

/** The runbook's servers over its collection's: a runbook's server replaces the collection's of the same name. */
export function mergeMcpServers(own: McpServerDeclaration[], collection: McpServerDeclaration[]): McpServerDeclaration[] {
  const names = new Set(own.map((s) => s.name));
  return [...collection.filter((s) => !names.has(s.name)), ...own];
}
