// The built-in agent with a runbook's MCP servers, through the whole run orchestrator in real
// Docker: a stdio server (the SDK's McpServer, bundled into the runbook's folder, run with node
// inside the sandbox over an attached docker exec) and an HTTP one on the host, reached through
// the run's gateway, which adds its secret header. The scripted model calls their tools as
// mcp__<server>__<tool>; each call and result is a typed event naming the server.
import { describe, expect, it } from 'vitest';
import { runContainer, whereInContainer } from '../helpers/container-secrets';
import { messageOf, payloadsOf } from '../helpers/events';
import { ensureBaseWithNode } from '../helpers/mcp-probe';
import { DEMO_TOKEN, DOCS_KEY, MCP_SECRETS, mcpRunHarness, PROBE_KEY } from '../helpers/mcp-run-harness';
import { callTools, reply } from '../helpers/scripted-model-server';

describe('the built-in agent with MCP servers', () => {
  const h = mcpRunHarness({
    ensureImage: ensureBaseWithNode,
    agentLines: 'agent: builtin\nmodel: scripted-model',
    env: (url) => ({ OPENAI_BASE_URL: url, OPENAI_API_KEY: 'sk-test' }),
  });

  it("calls a stdio server in the sandbox and an HTTP one through the gateway; typed events name the server; the HTTP server's secret is nowhere in the container", async () => {
    const pause = h.pauseStep(reply('Done with the probe.'));
    const { runner, requests } = await h.runnerFor([
      callTools(
        { name: 'mcp__probe__echo', arguments: { text: 'hi' } },
        { name: 'mcp__probe__env', arguments: { names: ['PROBE_KEY', 'DEMO_TOKEN', 'DOCS_KEY'] } },
        { name: 'mcp__probe__where', arguments: {} },
        { name: 'mcp__probe__fail', arguments: {} },
        { name: 'mcp__docs__echo', arguments: { text: 'over http' } },
      ),
      // The run waits here, its sandbox and stdio server up, while the test looks into the container.
      pause.step,
    ]);
    const run = await runner.start({ runbookPath: h.runbook, secrets: MCP_SECRETS, image: h.image });
    await pause.reached;
    const container = await runContainer(h.docker, run.id);
    // The HTTP server's key: nowhere (environment, files, any process's environment).
    expect(await whereInContainer(h.docker, container, DOCS_KEY)).toEqual([]);
    // The stdio server's key: only in its own process's environment, not the sandbox's.
    expect(await whereInContainer(h.docker, container, PROBE_KEY)).toEqual(['environ of node probe.mjs']);
    // A secret the runbook's text uses: given to each of the run's commands, never part of the container (no command runs now).
    expect(await whereInContainer(h.docker, container, DEMO_TOKEN)).toEqual([]);
    pause.release();
    const t = await run.done;
    expect(t.status, t.error ?? '').toBe('completed');

    // The model was offered the servers' tools beside the agent's own.
    const offered = requests()[0].tools!.map((tool) => tool.type === 'function' && tool.function.name);
    expect(offered).toEqual(['bash', 'read_file', 'write_file', 'list_files', 'finish', 'mcp__probe__echo', 'mcp__probe__env', 'mcp__probe__where', 'mcp__probe__fail', 'mcp__docs__echo', 'mcp__docs__env', 'mcp__docs__where', 'mcp__docs__fail']);

    const events = h.store.listEvents(t.id, { limit: 10_000 });
    const calls = payloadsOf(events, 'tool_call');
    expect(calls.map((c) => [c.name, c.server, c.tool, c.arguments])).toEqual([
      ['mcp__probe__echo', 'probe', 'echo', { text: 'hi' }],
      ['mcp__probe__env', 'probe', 'env', { names: ['PROBE_KEY', 'DEMO_TOKEN', 'DOCS_KEY'] }],
      ['mcp__probe__where', 'probe', 'where', {}],
      ['mcp__probe__fail', 'probe', 'fail', {}],
      ['mcp__docs__echo', 'docs', 'echo', { text: 'over http' }],
    ]);
    const results = payloadsOf(events, 'tool_result');
    expect(results.map((r) => [r.server, r.tool, r.ok, r.output])).toEqual([
      ['probe', 'echo', true, 'echo: hi'],
      // Its own secret (redacted in the trajectory); the run's other secrets are not inherited.
      ['probe', 'env', true, '{"PROBE_KEY":"[REDACTED:PROBE_KEY]","DEMO_TOKEN":null,"DOCS_KEY":null}'],
      // In the run's working directory, beside the runbook's folder.
      ['probe', 'where', true, '/app: RUNBOOK.md assets probe.mjs results'],
      ['probe', 'fail', false, 'it failed, as asked'],
      ['docs', 'echo', true, 'echo: over http'],
    ]);
    expect(results.map((r) => r.id)).toEqual(calls.map((c) => c.id));

    // The start-up check, as the run's `mcp` step.
    expect(t.steps.mcp).toMatchObject({ status: 'completed', outputs: { servers: ['probe', 'docs'] } });
    const mcpLines = events.filter((e) => e.step === 'mcp' && e.type === 'log').map(messageOf);
    expect(mcpLines.sort()).toEqual(["MCP server 'docs' (http) started: 4 tools: echo, env, where, fail", "MCP server 'probe' (stdio) started: 4 tools: echo, env, where, fail"]);

    // The HTTP server got its key from the gateway, and never the run's token.
    expect(h.docs.requests.length).toBeGreaterThan(0);
    for (const request of h.docs.requests) {
      expect(request.headers['x-docs-key']).toBe(DOCS_KEY);
      expect(request.headers.authorization).toBeUndefined();
      expect(JSON.stringify(request.headers)).not.toContain('jetty-run-');
    }
    expect(JSON.stringify(h.store.exportTrajectory(t.id))).not.toContain(PROBE_KEY);
  }, 180_000);
});
