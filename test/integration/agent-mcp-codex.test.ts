// codex with a runbook's MCP servers: the real CLI in a real sandbox (its test image with Node
// added for the probe server), given the servers as [mcp_servers.<name>] in its per-run
// config.toml: the stdio probe it starts itself, and the HTTP one at the run gateway's
// /mcp/docs (its bearer token the run's, read from the key's variable). Its mcp_tool_call items
// are typed events naming the server, named as every agent names an MCP tool.
import { describe, expect, it } from 'vitest';
import { ensureCodexImage } from '../helpers/codex-image';
import { ensureWithNode } from '../helpers/mcp-probe';
import { mcpRunHarness, offeredTool, runProbeScript } from '../helpers/mcp-run-harness';

const API_KEY = 'sk-openai-test-9f8e7d6c5b4a';

describe('codex with MCP servers', () => {
  const h = mcpRunHarness({
    ensureImage: async (docker) => ensureWithNode(docker, await ensureCodexImage(docker)),
    // A model codex has no metadata for: it offers MCP tools as namespace tools (mcp__<server> / <tool>) upfront. For
    // the models it knows (gpt-5.x) it defers them behind its tool_search tool, which the scripted model does not speak.
    agentLines: 'agent: codex\nmodel: scripted-model',
    env: (url) => ({ OPENAI_BASE_URL: url, OPENAI_API_KEY: API_KEY, OPENAI_WIRE_API: 'responses' }),
    apiKey: API_KEY,
  });

  it('calls the stdio server it started in the sandbox and the HTTP one through the gateway: typed events naming the server', async () => {
    // Codex offers MCP tools under its own names: the script calls whichever it offers.
    const { requests } = await runProbeScript(h, { toolName: (request, server, tool) => offeredTool(request, `${server}__${tool}`), agentKey: 'JETTY_CODEX_API_KEY' });
    expect(requests.length).toBeGreaterThanOrEqual(4);
  }, 240_000);
});
