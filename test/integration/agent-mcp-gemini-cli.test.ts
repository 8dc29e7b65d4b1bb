// gemini-cli with a runbook's MCP servers: the real CLI (on Node) in a real sandbox, given the
// servers as `mcpServers` in its per-run settings.json (trusted, only those allowed): the stdio
// probe it starts itself, and the HTTP one at the run gateway's /mcp/docs. It calls MCP tools
// `mcp_<server>_<tool>`; its calls are typed events naming the server, named as every agent
// names an MCP tool.
import { describe, it } from 'vitest';
import { ensureGeminiCliImage } from '../helpers/gemini-image';
import { mcpRunHarness, offeredTool, runProbeScript } from '../helpers/mcp-run-harness';

const API_KEY = 'AIza-test-5e4d3c2b1a09';

describe('gemini-cli with MCP servers', () => {
  const h = mcpRunHarness({
    // Its image has Node already.
    ensureImage: ensureGeminiCliImage,
    agentLines: 'agent: gemini-cli',
    env: (url) => ({ GOOGLE_GEMINI_BASE_URL: new URL(url).origin, GEMINI_API_KEY: API_KEY }),
    apiKey: API_KEY,
  });

  it('calls the stdio server it started in the sandbox and the HTTP one through the gateway: typed events naming the server', async () => {
    await runProbeScript(h, { toolName: (request, server, tool) => offeredTool(request, `${server}_${tool}`), agentKey: 'GEMINI_API_KEY' });
  }, 240_000);
});
