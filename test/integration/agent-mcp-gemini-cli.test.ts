// gemini-cli with a runbook's MCP servers: the real CLI (on Node) in a real sandbox, given the
// servers as `mcpServers` in its per-run settings.json (trusted, only those allowed): the stdio
// probe it starts itself, and the HTTP one at the run gateway's /mcp/docs. It calls MCP tools
// `mcp_<server>_<tool>`; its calls are typed events naming the server, named as every agent
// names an MCP tool.
import { describe, expect, it } from 'vitest';
import { runContainer, whereInContainer } from '../helpers/container-secrets';
import { payloadsOf } from '../helpers/events';
import { ensureGeminiCliImage } from '../helpers/gemini-image';
import { DOCS_KEY, MCP_SECRETS, mcpRunHarness, offeredTool } from '../helpers/mcp-run-harness';
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

    const events = h.store.listEvents(t.id, { limit: 10_000 }).filter((e) => e.step === 'agent');
    const calls = payloadsOf(events, 'tool_call');
    expect(calls.map((c) => [c.name, c.server, c.tool])).toEqual([
      ['mcp__probe__echo', 'probe', 'echo'],
      ['mcp__probe__env', 'probe', 'env'],
      ['mcp__docs__echo', 'docs', 'echo'],
    ]);
    const results = payloadsOf(events, 'tool_result');
    expect(results.map((r) => [r.server, r.tool, r.ok, r.output])).toEqual([
      ['probe', 'echo', true, 'echo: hi'],
      ['probe', 'env', true, '{"PROBE_KEY":"[REDACTED:PROBE_KEY]","DEMO_TOKEN":null,"DOCS_KEY":null,"GEMINI_API_KEY":null}'],
      ['docs', 'echo', true, 'echo: over http'],
    ]);
    for (const request of h.docs.requests) {
      expect(request.headers['x-docs-key']).toBe(DOCS_KEY);
      expect(JSON.stringify(request.headers)).not.toContain('jetty-run-');
    }
  }, 240_000);
});
