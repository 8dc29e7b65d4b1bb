// A tool call through MCP against the same tool built in, in one real sandbox (the offline
// base image): reading a file of the run's working directory
//   - built in: the built-in agent's `read_file` (one Docker archive request per call) and
//     `bash` with `cat` (one docker exec per call);
//   - through MCP: a stdio server in the sandbox (Python, test/helpers/python-mcp-servers.ts)
//     that the engine reaches over one attached docker exec, kept open: its `read` tool;
// and a Streamable HTTP server on the host (the tests' probe, the SDK's McpServer) called
// directly and through the run gateway's /mcp/<name> (which adds its header): the relay's
// cost. One call at a time, the paths interleaved call by call; medians per path and ratios.
// Needs Docker and the offline base image (bash .ci/docker.sh).
//
//   node --import tsx bench/mcp-call.mjs [--calls 200] [--rounds 5]
import { parseArgs } from 'node:util';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { executeToolCall } from '../electron/engine/agents/builtin/tools.ts';
import { createRunGateway } from '../electron/engine/gateway/run-gateway.ts';
import { connectMcpServer } from '../electron/engine/mcp-client/session.ts';
import { createProviderRegistry } from '../electron/engine/proxy/providers.ts';
import { createSandboxService } from '../electron/engine/sandbox/index.ts';
import { requireDocker, TEST_BASE_IMAGE } from '../test/helpers/docker.ts';
import { startProbeHttpServer } from '../test/helpers/mcp-probe.ts';
import { PYTHON_MCP_SERVER } from '../test/helpers/python-mcp-servers.ts';

const { values: args } = parseArgs({ options: { calls: { type: 'string', default: '200' }, rounds: { type: 'string', default: '5' } } });
const CALLS = Number(args.calls);
const ROUNDS = Number(args.rounds);
const KEY = 'bench-docs-key';
const DATA = `${'a line of the file the tools read\n'.repeat(100)}`;

const median = (values) => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
};

const docker = await requireDocker();
const service = createSandboxService({ docker });
const sandbox = await service.create({ image: TEST_BASE_IMAGE, runId: `bench-mcp-${process.pid}` });
const gateway = createRunGateway();
const probe = await startProbeHttpServer(['X-Docs-Key', KEY]);
let closing = [];
try {
  await sandbox.writeFiles([
    { path: '/app/data.txt', content: DATA },
    { path: '/app/server.py', content: PYTHON_MCP_SERVER },
  ]);
  const access = await gateway.open({
    runId: 'bench',
    providers: createProviderRegistry({ env: {} }),
    budget: { maxCostUsd: null, maxTokens: null, source: 'Settings' },
    prices: {},
    onModelCall: () => undefined,
    onBudgetExceeded: () => undefined,
    mcpServers: new Map([['docs', { url: probe.url, headers: { 'X-Docs-Key': KEY } }]]),
  });
  const server = { name: 'py', transport: 'stdio', command: 'python3', args: ['server.py'], env: {}, optional: false, startupTimeoutMs: 30_000, toolTimeoutMs: 30_000 };
  const startedAt = performance.now();
  const stdio = await connectMcpServer(server, { host: sandbox, httpUrl: access.hostMcpUrl, token: access.token, unset: [] });
  const startMs = performance.now() - startedAt;
  const direct = new Client({ name: 'bench', version: '1' });
  await direct.connect(new StreamableHTTPClientTransport(new URL(probe.url), { requestInit: { headers: { 'x-docs-key': KEY } } }));
  const relayed = new Client({ name: 'bench', version: '1' });
  await relayed.connect(new StreamableHTTPClientTransport(new URL(access.hostMcpUrl('docs')), { requestInit: { headers: { authorization: `Bearer ${access.token}` } } }));
  closing = [() => stdio.close(), () => direct.close(), () => relayed.close()];

  const signal = new AbortController().signal;
  const context = { host: sandbox, signal, commandTimeoutMs: 30_000, outputLimitChars: 1 << 20, onOutput: () => undefined };
  const check = (text) => {
    if (!text.includes('a line of the file')) throw new Error(`unexpected output: ${text.slice(0, 200)}`);
  };
  const paths = {
    'built-in read_file': async () => check((await executeToolCall({ id: 'c', name: 'read_file', arguments: '{"path":"/app/data.txt"}' }, context)).output),
    'built-in bash cat': async () => check((await executeToolCall({ id: 'c', name: 'bash', arguments: '{"command":"cat /app/data.txt"}' }, context)).output),
    'MCP stdio read': async () => check((await stdio.call('read', { path: '/app/data.txt' }, signal)).content[0].text),
    'MCP HTTP direct': async () => {
      const result = await direct.callTool({ name: 'echo', arguments: { text: DATA } });
      check(result.content[0].text);
    },
    'MCP HTTP via gateway': async () => {
      const result = await relayed.callTool({ name: 'echo', arguments: { text: DATA } });
      check(result.content[0].text);
    },
  };
  const names = Object.keys(paths);
  const times = Object.fromEntries(names.map((n) => [n, []]));
  for (const run of Object.values(paths)) await run(); // warm each path once
  // Interleaved call by call (the order turning each round), so load that comes and goes hits every path alike.
  for (let round = 0; round < ROUNDS; round++) {
    const order = round % 2 === 0 ? names : [...names].reverse();
    for (let i = 0; i < CALLS; i++) {
      for (const name of order) {
        const t0 = performance.now();
        await paths[name]();
        times[name].push(performance.now() - t0);
      }
    }
  }
  const med = Object.fromEntries(names.map((n) => [n, median(times[n])]));
  console.log(`${ROUNDS} rounds × ${CALLS} calls per path, one at a time (a ${DATA.length}-byte file / echo)`);
  console.log(`  stdio MCP server start in the sandbox (attach, initialize, tools/list): ${startMs.toFixed(1)} ms`);
  for (const n of names) console.log(`  ${n.padEnd(22)} median ${med[n].toFixed(2)} ms`);
  console.log(`  ratio MCP stdio read / built-in read_file:  ${(med['MCP stdio read'] / med['built-in read_file']).toFixed(2)}x`);
  console.log(`  ratio MCP stdio read / built-in bash cat:   ${(med['MCP stdio read'] / med['built-in bash cat']).toFixed(2)}x`);
  console.log(`  gateway relay: via gateway / direct ${(med['MCP HTTP via gateway'] / med['MCP HTTP direct']).toFixed(2)}x (+${(med['MCP HTTP via gateway'] - med['MCP HTTP direct']).toFixed(2)} ms)`);
} finally {
  await Promise.allSettled(closing.map((close) => close()));
  await sandbox.destroy();
  await service.close();
  await gateway.close();
  await probe.close();
}
