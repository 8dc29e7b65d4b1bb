/**
 * One connection from the engine to one of a run's MCP servers, through the SDK's Client:
 * a stdio server through the sandbox (SandboxStdioTransport), an HTTP one through the run's
 * gateway (`/mcp/<name>` with the run's token; the gateway adds the server's headers). It
 * is opened with a deadline for `initialize` and `tools/list` together; a server that does
 * not start in time, exits, or answers with something that is not MCP fails with
 * McpServerStartError, which names the server, says why and ends with its stderr.
 */
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import type { Transport } from '@modelcontextprotocol/sdk/shared/transport.js';
import type { CallToolResult, Tool } from '@modelcontextprotocol/sdk/types.js';
import { linkedSignal } from '../base/linked-signal';
import { VERSION } from '../base/version';
import type { ProcessHost } from '../sandbox/tool-host';
import { MCP_SERVER_CWD, stdioLaunch } from './launch';
import { SandboxStdioTransport } from './sandbox-stdio-transport';
import type { RunMcpServer } from './servers';

/** At most this many tools are taken from one server (in at most MAX_TOOL_PAGES pages). */
export const MAX_TOOLS = 256;
const MAX_TOOL_PAGES = 16;
const STDERR_LINES = 8;

/** A server that did not start: its name, why, and the end of its stderr. */
export class McpServerStartError extends Error {
  constructor(
    readonly server: string,
    readonly reason: string,
    readonly stderr: string,
  ) {
    super(`MCP server '${server}' did not start: ${reason}${stderr ? `; its stderr ends:\n${stderr.split('\n').slice(-STDERR_LINES).join('\n')}` : ''}`);
    this.name = 'McpServerStartError';
  }
}

export interface McpSession {
  server: RunMcpServer;
  /** Its tools, as `tools/list` gave them (at most MAX_TOOLS). */
  tools: Tool[];
  /** Calls one of its tools, within the server's tool timeout (and the signal). */
  call(tool: string, args: unknown, signal: AbortSignal): Promise<CallToolResult>;
  close(): Promise<void>;
}

export interface McpConnectOptions {
  /** Where stdio servers run: the run's sandbox. */
  host: ProcessHost;
  /** The gateway's URL of an HTTP server, as the engine reaches it. */
  httpUrl(name: string): string;
  /** The run's gateway token. */
  token: string;
  /** Variables a stdio server must not inherit (the run's secrets it does not name). */
  unset: readonly string[];
  signal?: AbortSignal;
}

function transportFor(server: RunMcpServer, options: McpConnectOptions): Transport & { stderrTail?(): string; endedBecause?(): string | null } {
  if (server.transport === 'http') {
    return new StreamableHTTPClientTransport(new URL(options.httpUrl(server.name)), { requestInit: { headers: { authorization: `Bearer ${options.token}` } } });
  }
  const { command, args } = stdioLaunch(server, options.unset);
  return new SandboxStdioTransport(options.host, [command, ...args], { cwd: MCP_SERVER_CWD, env: server.env });
}

const messageOf = (error: unknown) => (error instanceof Error ? error.message : String(error));

/** Rejects after `ms` with why, unless `work` settles first. */
function within<T>(work: Promise<T>, ms: number, why: string, signal?: AbortSignal): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  let onAbort: (() => void) | undefined;
  const stop = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(why)), ms);
    onAbort = () => reject(signal?.reason instanceof Error ? signal.reason : new Error('the run was stopped'));
    if (signal?.aborted) onAbort();
    else signal?.addEventListener('abort', onAbort, { once: true });
  });
  return Promise.race([work, stop]).finally(() => {
    clearTimeout(timer);
    if (onAbort) signal?.removeEventListener('abort', onAbort);
  });
}

async function listAllTools(client: Client): Promise<Tool[]> {
  const tools: Tool[] = [];
  let cursor: string | undefined;
  for (let page = 0; page < MAX_TOOL_PAGES && tools.length < MAX_TOOLS; page++) {
    const result = await client.listTools(cursor ? { cursor } : undefined, { timeout: 2 ** 31 - 1 });
    tools.push(...result.tools);
    cursor = result.nextCursor;
    if (!cursor) break;
  }
  return tools.slice(0, MAX_TOOLS);
}

/** Connects to `server`, initializes and lists its tools; throws McpServerStartError when it cannot. */
export async function connectMcpServer(server: RunMcpServer, options: McpConnectOptions): Promise<McpSession> {
  const transport = transportFor(server, options);
  const client = new Client({ name: 'jetty', version: VERSION });
  // Errors also reject the request they concern; the transport's own say why it ended.
  client.onerror = () => undefined;
  const seconds = Math.round(server.startupTimeoutMs / 100) / 10;
  let tools: Tool[];
  try {
    tools = await within(
      (async () => {
        // The deadline is the whole start's (below); the SDK's own request timeout would cut it short.
        await client.connect(transport, { timeout: 2 ** 31 - 1 });
        return listAllTools(client);
      })(),
      server.startupTimeoutMs,
      `it did not answer initialize and tools/list within ${seconds} s`,
      options.signal,
    );
  } catch (error) {
    const reason = transport.endedBecause?.() ?? messageOf(error);
    await client.close().catch(() => undefined);
    options.signal?.throwIfAborted();
    throw new McpServerStartError(server.name, reason, transport.stderrTail?.() ?? '');
  }
  return {
    server,
    tools,
    async call(tool, args, signal) {
      // The SDK never removes the abort listener it adds to a request's signal: each call gets its own, tied to the run's for the call's time.
      const call = linkedSignal([signal]);
      try {
        return (await client.callTool({ name: tool, arguments: (args ?? {}) as Record<string, unknown> }, undefined, { signal: call.signal, timeout: server.toolTimeoutMs })) as CallToolResult;
      } catch (error) {
        const ended = transport.endedBecause?.();
        throw new Error(ended ? `MCP server '${server.name}' ended: ${ended}` : messageOf(error), { cause: error });
      } finally {
        call.dispose();
      }
    },
    close: () => client.close(),
  };
}

/** A tool result as text for a model or an event: text items as they are, other items named, `isError` kept apart. */
export function resultText(result: CallToolResult): string {
  const parts = (result.content ?? []).map((item) => {
    switch (item.type) {
      case 'text':
        return item.text;
      case 'image':
      case 'audio':
        return `[${item.type} ${item.mimeType}, ${Math.floor((item.data.length * 3) / 4)} bytes]`;
      case 'resource_link':
        return `[resource ${item.uri}]`;
      case 'resource':
        return 'text' in item.resource && typeof item.resource.text === 'string' ? item.resource.text : `[resource ${item.resource.uri}]`;
      default:
        return JSON.stringify(item);
    }
  });
  if (parts.length === 0 && result.structuredContent !== undefined) parts.push(JSON.stringify(result.structuredContent));
  return parts.join('\n');
}
