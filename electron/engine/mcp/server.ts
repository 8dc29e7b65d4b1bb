/**
 * The local engine as an MCP server: Jetty's public tool catalog (each tool the REST call
 * it mirrors, on this engine's own API) plus the local tools, over any transport (stdio for
 * `jetty mcp`, Streamable HTTP for `/mcp` on `jetty serve`).
 */
import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import type { RequestHandlerExtra } from '@modelcontextprotocol/sdk/shared/protocol.js';
import type { CallToolResult, ServerNotification, ServerRequest } from '@modelcontextprotocol/sdk/types.js';
import { withoutHostPaths } from '../http/respond';
import { VERSION } from '../base/version';
import { LOCAL_TOOLS } from './local-tools';
import { PUBLIC_TOOLS } from './public-tools';
import type { JettyTool, McpBackend, ToolContext } from './tool';

export type { McpBackend } from './tool';

/** Every tool the server lists, public catalog first. */
export const JETTY_MCP_TOOLS: readonly JettyTool[] = [...PUBLIC_TOOLS, ...LOCAL_TOOLS];

/** The most array elements and object members one call's arguments may hold (the SDK refuses more, before validation). */
const MAX_ARGUMENT_ELEMENTS = 100_000;

const INSTRUCTIONS = `Jetty Desktop's local engine. The tools of Jetty's public MCP server (collections, tasks, workflow runs, trajectories, labels, step templates, collection environments, routines) work here on local data. Local tools: lint-runbook, run-runbook (a RUNBOOK.md from an open folder, in a Docker sandbox) and get-run-events.`;

const isPlainObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** One text item of pretty JSON, and the same value as structured content when it is an object. */
export function toolResult(value: unknown): CallToolResult {
  return {
    content: [{ type: 'text', text: JSON.stringify(value ?? null, null, 2) }],
    ...(isPlainObject(value) && { structuredContent: value }),
  };
}

/** A failed call: a normal result with `isError` and the reason (without host paths). */
export function toolFailure(error: unknown): CallToolResult {
  return { content: [{ type: 'text', text: withoutHostPaths(error) }], isError: true };
}

/** Sends progress notifications for the call when its client gave a progressToken. */
function progressOf(extra: RequestHandlerExtra<ServerRequest, ServerNotification>): ToolContext['progress'] {
  const token = extra._meta?.progressToken;
  if (token === undefined) return async () => undefined;
  let progress = 0;
  return (message) => extra.sendNotification({ method: 'notifications/progress', params: { progressToken: token, progress: ++progress, message } });
}

/** An MCP server with Jetty's tools; `backend` is awaited at each call (a `jetty mcp` engine may still be starting). */
export function createJettyMcpServer(backend: () => Promise<McpBackend>): McpServer {
  const server = new McpServer(
    { name: 'jetty', title: 'Jetty Desktop (local engine)', version: VERSION },
    { instructions: INSTRUCTIONS, maxToolInputElements: MAX_ARGUMENT_ELEMENTS },
  );
  for (const tool of JETTY_MCP_TOOLS) {
    server.registerTool(
      tool.name,
      { title: tool.title, description: tool.description, inputSchema: tool.inputSchema, annotations: tool.annotations },
      async (args, extra) => {
        try {
          const context: ToolContext = { backend: await backend(), signal: extra.signal, progress: progressOf(extra) };
          return toolResult(await tool.run(args as Parameters<JettyTool['run']>[0], context));
        } catch (error) {
          return toolFailure(error);
        }
      },
    );
  }
  return server;
}
