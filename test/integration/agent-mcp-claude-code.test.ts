// claude-code with a runbook's MCP servers: the real CLI in a real sandbox (its test image with
// Node added for the probe server), given the servers by `--mcp-config` with
// `--strict-mcp-config`: the stdio probe it starts itself in the sandbox, and the HTTP one at
// the run gateway's /mcp/docs, which adds the server's secret header. Its MCP tool calls are
// typed events naming the server; the secret header is nowhere in the container, and a server
// the run did not declare is refused at the gateway.
import { describe, expect, it } from 'vitest';
import { ensureClaudeCodeImage } from '../helpers/claude-code-image';
import { execIn, whereInContainer } from '../helpers/container-secrets';
import { ensureWithNode } from '../helpers/mcp-probe';
import { mcpRunHarness, PROBE_KEY, runProbeScript } from '../helpers/mcp-run-harness';

const API_KEY = 'sk-ant-test-0a1b2c3d4e5f6a7b';

/** From inside the sandbox: a POST to the gateway's MCP door, with the token the CLI was given (or none); its status and body. */
const PROBE_GATEWAY = `
import json, sys, urllib.request, urllib.error
config = json.load(open('/tmp/jetty-agent/mcp.json'))['mcpServers']['docs']
base = config['url'].rsplit('/', 1)[0]
def post(name, token):
    headers = {'content-type': 'application/json', 'accept': 'application/json, text/event-stream'}
    if token: headers['authorization'] = token
    body = json.dumps({'jsonrpc': '2.0', 'id': 1, 'method': 'tools/list'}).encode()
    try:
        with urllib.request.urlopen(urllib.request.Request(base + '/' + name, body, headers), timeout=10) as r:
            return r.status, ''
    except urllib.error.HTTPError as e:
        return e.code, json.loads(e.read())['error']['message']
print(json.dumps([post('nope', config['headers']['Authorization']), post('docs', None)]))
`;

describe('claude-code with MCP servers', () => {
  const h = mcpRunHarness({
    ensureImage: async (docker) => ensureWithNode(docker, await ensureClaudeCodeImage(docker)),
    agentLines: 'agent: claude-code\nmodel: claude-sonnet-4-6',
    env: (url) => ({ ANTHROPIC_BASE_URL: new URL(url).origin, ANTHROPIC_API_KEY: API_KEY }),
    apiKey: API_KEY,
  });

  it('calls the stdio server it started in the sandbox and the HTTP one through the gateway: typed events naming the server; the secret header nowhere in the container; an undeclared server refused', async () => {
    const { trajectory } = await runProbeScript(h, {
      toolName: (_request, server, tool) => `mcp__${server}__${tool}`,
      agentKey: 'ANTHROPIC_API_KEY',
      async whileHeld(container) {
        expect(await whereInContainer(h.docker, container, PROBE_KEY)).toEqual(expect.arrayContaining(['file /tmp/jetty-agent/mcp.json']));
        expect(JSON.parse(await execIn(h.docker, container, ['python3', '-c', PROBE_GATEWAY]))).toEqual([
          [404, "this run declares no HTTP MCP server named 'nope'"],
          [401, 'not a valid run token (send it as Authorization: Bearer): it belongs to no running run (tokens end with their run)'],
        ]);
      },
    });
    expect(h.store.listEvents(trajectory.id, { limit: 10_000 }).some((e) => e.step === 'agent' && e.level === 'warning' && e.type === 'log')).toBe(false);
  }, 240_000);
});
