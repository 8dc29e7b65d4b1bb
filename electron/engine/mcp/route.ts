import type { Route } from '../server/router';
import type { McpBackend } from './tool';

/** Where the local server answers MCP (Streamable HTTP). */
export const MCP_PATH = '/mcp';

/**
 * `POST /mcp`: the engine as an MCP server over Streamable HTTP, stateless (no session: each
 * POST is answered on its own, as JSON or an SSE stream carrying progress then the result).
 * The local server checks Host, Origin and the API token before any route runs; GET and
 * DELETE are 405 (no server-initiated stream, no session to end). The SDK is loaded at the
 * first call, so the engine's start does not pay for it.
 */
export function mcpRoute(backend: McpBackend): Route {
  return {
    method: 'POST',
    path: MCP_PATH,
    async handle(ctx) {
      const { answerMcpPost } = await import('./http');
      await answerMcpPost(ctx, backend);
    },
  };
}
