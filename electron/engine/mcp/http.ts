import { StreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/streamableHttp.js';
import { ErrorCode } from '@modelcontextprotocol/sdk/types.js';
import { parseJsonInput } from '../http/json-input';
import { sendJson } from '../http/respond';
import { type RouteContext } from '../server/router';
import { createJettyMcpServer } from './server';
import type { McpBackend } from './tool';

/**
 * Answers one MCP POST (stateless: a fresh server and transport per request, as the SDK
 * requires without sessions). The body was bounded by the router (413 past its limit); a
 * body that is not JSON is a JSON-RPC parse error. A client that goes away mid-call aborts
 * the call (a run it started is cancelled).
 */
export async function answerMcpPost(ctx: RouteContext, backend: McpBackend): Promise<void> {
  const body = (await ctx.body()).toString('utf8');
  let message: unknown;
  try {
    message = parseJsonInput(body);
  } catch (error) {
    return sendJson(ctx.res, 400, { jsonrpc: '2.0', id: null, error: { code: ErrorCode.ParseError, message: `Parse error: the body is ${(error as Error).message}` } });
  }
  const server = createJettyMcpServer(async () => backend);
  const transport = new StreamableHTTPServerTransport({ sessionIdGenerator: undefined });
  ctx.res.once('close', () => void server.close());
  await server.connect(transport);
  await transport.handleRequest(ctx.req, ctx.res, message);
}
