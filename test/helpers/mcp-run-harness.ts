// The set-up of the MCP run tests (one per agent): the shared run harness (run-harness.ts) with
// a runbook whose folder ships the probe MCP server (test/helpers/mcp-probe.ts) and declares it
// as a stdio server run with node, and the probe on the host over HTTP as a second server whose
// secret header the gateway adds. The script can
// pause the run at a model turn (`pauseStep`) while the test looks into its container.
// Call it inside the `describe`; it registers the beforeAll/afterAll hooks.
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type Docker from 'dockerode';
import { expect } from 'vitest';
import type { Runner } from '../../electron/engine/runs/runner';
import { payloadsOf } from './events';
import { startProbeHttpServer, writeProbeServer, type ProbeHttpServer } from './mcp-probe';
import { runHarness, type RunHarness } from './run-harness';
import type { Trajectory } from '../../shared/trajectory';
import { runContainer, whereInContainer } from './container-secrets';
import { callTools, reply, type ChatRequest, type RecordedRequest, type Script, type ScriptStep } from './scripted-model-server';

export const PROBE_KEY = 'probe-key-5b1d0e77c2';
export const DOCS_KEY = 'docs-key-9f3a61c4d8';
export const DEMO_TOKEN = 'demo-token-2c7e90b1aa';
export const MCP_SECRETS = { PROBE_KEY, DOCS_KEY, DEMO_TOKEN };

/** The probe runbook for an agent (`agentLines`: its `agent:`/`model:` frontmatter lines). */
export const probeRunbook = (agentLines: string, docsUrl: string) => `---
version: "1.0.0"
evaluation: programmatic
${agentLines}
secrets:
  PROBE_KEY: { env: PROBE_KEY }
  DOCS_KEY: { env: DOCS_KEY }
  DEMO_TOKEN: { env: DEMO_TOKEN }
mcp_servers:
  probe:
    command: node
    args: [probe.mjs]
    env:
      PROBE_KEY: "{{secrets.PROBE_KEY}}"
  docs:
    url: ${docsUrl}
    headers:
      X-Docs-Key: "{{secrets.DOCS_KEY}}"
---

# MCP probe

Call the probe's tools; commands may use {{secrets.DEMO_TOKEN}}.
`;

/** The name a request offers a tool under whose name ends with `suffix` (agents name MCP tools their own way). */
export function offeredTool(request: ChatRequest, suffix: string): string {
  const names = (request.tools ?? []).flatMap((t) => (t.type === 'function' ? [t.function.name] : []));
  const name = names.find((n) => n.endsWith(suffix));
  if (!name) throw new Error(`no tool ending in ${suffix} among ${names.join(', ')}`);
  return name;
}

/**
 * What a CLI agent's run of the probe script (probe echo, probe env, docs echo) recorded: typed
 * tool_call/tool_result events naming server and tool; the stdio server saw its own secret and
 * neither the run's others nor `agentKey`, the CLI's own key variable; the HTTP server got its
 * header from the gateway and never the run's token.
 */
function expectProbeCallsRecorded(h: McpRunHarness, trajectoryId: string, agentKey: string): void {
  const events = h.store.listEvents(trajectoryId, { limit: 10_000 }).filter((e) => e.step === 'agent');
  const calls = payloadsOf(events, 'tool_call');
  expect(calls.map((c) => [c.name, c.server, c.tool])).toEqual([
    ['mcp__probe__echo', 'probe', 'echo'],
    ['mcp__probe__env', 'probe', 'env'],
    ['mcp__docs__echo', 'docs', 'echo'],
  ]);
  const results = payloadsOf(events, 'tool_result');
  expect(results.map((r) => [r.server, r.tool, r.ok, r.output])).toEqual([
    ['probe', 'echo', true, 'echo: hi'],
    ['probe', 'env', true, `{"PROBE_KEY":"[REDACTED:PROBE_KEY]","DEMO_TOKEN":null,"DOCS_KEY":null,"${agentKey}":null}`],
    ['docs', 'echo', true, 'echo: over http'],
  ]);
  for (const request of h.docs.requests) {
    expect(request.headers['x-docs-key']).toBe(DOCS_KEY);
    expect(JSON.stringify(request.headers)).not.toContain('jetty-run-');
  }
}

/**
 * A CLI agent's run of the probe script: probe echo, probe env (asking for `agentKey`, the
 * CLI's own key variable, too), docs echo, each called by the name the agent offers it under
 * (`toolName`), then held at its last turn while the test looks into its container — which
 * holds the HTTP server's key nowhere — and `whileHeld` looks further. Checks that it
 * completed and recorded the calls as every agent does (`expectProbeCallsRecorded`).
 */
export async function runProbeScript(
  h: McpRunHarness,
  options: { toolName: (request: ChatRequest, server: string, tool: string) => string; agentKey: string; whileHeld?: (container: string) => Promise<void> },
): Promise<{ trajectory: Trajectory; requests: ChatRequest[] }> {
  const call = (server: string, tool: string, args: Record<string, unknown>) => (request: ChatRequest) => callTools({ name: options.toolName(request, server, tool), arguments: args });
  const pause = h.pauseStep(reply('Done with the probe.'));
  const { runner, requests } = await h.runnerFor([
    call('probe', 'echo', { text: 'hi' }),
    call('probe', 'env', { names: ['PROBE_KEY', 'DEMO_TOKEN', 'DOCS_KEY', options.agentKey] }),
    call('docs', 'echo', { text: 'over http' }),
    pause.step,
  ]);
  const run = await runner.start({ runbookPath: h.runbook, secrets: MCP_SECRETS, image: h.image });
  await pause.reached;
  const container = await runContainer(h.docker, run.id);
  expect(await whereInContainer(h.docker, container, DOCS_KEY)).toEqual([]);
  await options.whileHeld?.(container);
  pause.release();
  const trajectory = await run.done;
  expect(trajectory.status, trajectory.error ?? '').toBe('completed');
  expectProbeCallsRecorded(h, trajectory.id, options.agentKey);
  return { trajectory, requests: requests() };
}

export interface McpRunHarnessOptions {
  ensureImage: (docker: Docker) => Promise<string>;
  /** The probe runbook's agent lines, e.g. `agent: claude-code\nmodel: claude-sonnet-4-6`. */
  agentLines: string;
  /** The runner's env for the agent's provider at `server` (its base URL ending in /v1). */
  env: (modelUrl: string) => Record<string, string>;
  /** The key the scripted model server insists on, if any. */
  apiKey?: string;
  setupTimeoutMs?: number;
}

export interface McpRunHarness extends Omit<RunHarness, 'runnerFor'> {
  docs: ProbeHttpServer;
  /** A runner whose agent talks to a scripted model server of its own. */
  runnerFor(script: Script): Promise<{ runner: Runner; requests: () => ChatRequest[]; raw: () => RecordedRequest[] }>;
  /** A script step that holds the run at a model turn until `release()`; `reached` resolves once it does. */
  pauseStep(then: ScriptStep): { step: () => Promise<ScriptStep>; reached: Promise<void>; release(): void };
}

export function mcpRunHarness(options: McpRunHarnessOptions): McpRunHarness {
  const h = runHarness({
    ensureImage: options.ensureImage,
    tmpPrefix: 'jetty-mcp-run-',
    setupTimeoutMs: options.setupTimeoutMs,
    async writeRunbook(dir) {
      const docs = await startProbeHttpServer(['X-Docs-Key', DOCS_KEY]);
      harness.docs = docs;
      h.onTeardown(() => docs.close());
      const runbook = path.join(dir, 'runbooks/demo/mcp-probe/RUNBOOK.md');
      await mkdir(path.dirname(runbook), { recursive: true });
      await writeFile(runbook, probeRunbook(options.agentLines, docs.url));
      await writeProbeServer(path.join(path.dirname(runbook), 'probe.mjs'));
      return runbook;
    },
  });
  // Paused runs are released first at teardown (registered before anything else is).
  const releases: (() => void)[] = [];
  h.onTeardown(() => releases.forEach((release) => release()));
  const runnerFor = h.runnerFor;
  const harness: McpRunHarness = Object.assign(h, {
    docs: undefined as unknown as ProbeHttpServer,
    async runnerFor(script: Script) {
      const { runner, server } = await runnerFor(script, { apiKey: options.apiKey, env: (s) => options.env(s.url) });
      return { runner, requests: () => server.generations, raw: () => server.requests };
    },
    pauseStep(then: ScriptStep) {
      let release!: () => void;
      const released = new Promise<void>((resolve) => (release = resolve));
      releases.push(release);
      let reached!: () => void;
      const reachedPromise = new Promise<void>((resolve) => (reached = resolve));
      return {
        step: async () => {
          reached();
          await released;
          return then;
        },
        reached: reachedPromise,
        release,
      };
    },
  });
  return harness;
}
