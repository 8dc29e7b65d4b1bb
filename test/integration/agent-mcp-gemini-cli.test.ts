// gemini-cli with a runbook's MCP servers: the real CLI (on Node) in a real sandbox, given the
// servers as `mcpServers` in its per-run settings.json (trusted, only those allowed): the stdio
// probe it starts itself, and the HTTP one at the run gateway's /mcp/docs. It calls MCP tools
// `mcp_<server>_<tool>`; its calls are typed events naming the server, named as every agent
// names an MCP tool.
import { describe, expect, it } from 'vitest';
import { runContainer, whereInContainer } from '../helpers/container-secrets';
import { ensureGeminiCliImage } from '../helpers/gemini-image';
import { DOCS_KEY, MCP_SECRETS, expectProbeCallsRecorded, mcpRunHarness, offeredTool } from '../helpers/mcp-run-harness';
import { callTools, reply } from '../helpers/scripted-model-server';

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
    const pause = h.pauseStep(reply('Done with the probe.'));
    const { runner } = await h.runnerFor([
      (request) => callTools({ name: offeredTool(request, 'probe_echo'), arguments: { text: 'hi' } }),
      (request) => callTools({ name: offeredTool(request, 'probe_env'), arguments: { names: ['PROBE_KEY', 'DEMO_TOKEN', 'DOCS_KEY', 'GEMINI_API_KEY'] } }),
      (request) => callTools({ name: offeredTool(request, 'docs_echo'), arguments: { text: 'over http' } }),
      pause.step,
    ]);
    const run = await runner.start({ runbookPath: h.runbook, secrets: MCP_SECRETS, image: h.image });
    await pause.reached;
    expect(await whereInContainer(h.docker, await runContainer(h.docker, run.id), DOCS_KEY)).toEqual([]);
    pause.release();
    const t = await run.done;
    expect(t.status, t.error ?? '').toBe('completed');

    expectProbeCallsRecorded(h, t.id, 'GEMINI_API_KEY');
  }, 240_000);
});
