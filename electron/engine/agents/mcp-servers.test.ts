import { describe, expect, it } from 'vitest';
import { claudeMcpConfig } from './claude-code';
import { codexConfigToml } from './codex/config-toml';
import { geminiSettings } from './gemini-cli';
import { cliMcpServers } from './mcp-servers';
import type { AgentMcp } from './types';

const MCP: AgentMcp = {
  servers: [
    { name: 'probe', transport: 'stdio', command: 'node', args: ['probe.mjs', '--x'], env: { PROBE_KEY: 's3cret' }, optional: false, startupTimeoutMs: 5000, toolTimeoutMs: 20_000 },
    { name: 'docs', transport: 'http', url: 'https://docs.example/mcp', headers: { Authorization: 'Bearer real-docs-key' }, optional: true, startupTimeoutMs: 30_000, toolTimeoutMs: 300_000 },
  ],
  containerUrl: (name) => `http://host.docker.internal:4000/mcp/${name}`,
  token: 'jetty-run-abc',
  unset: ['DEMO_TOKEN', 'PROBE_KEY'],
  sessions: [],
};

describe("each agent CLI's MCP configuration", () => {
  const servers = cliMcpServers(MCP, ['ANTHROPIC_API_KEY']);

  it("starts a stdio server in /app under env -u (the run's other secrets and the CLI's key dropped, its own env kept), and an HTTP one at the gateway with the run's token: the server's own headers never", () => {
    expect(servers.map(({ server: _s, ...rest }) => rest)).toEqual([
      { transport: 'stdio', name: 'probe', command: 'env', args: ['-u', 'ANTHROPIC_API_KEY', '-u', 'DEMO_TOKEN', '--', 'node', 'probe.mjs', '--x'], env: { PROBE_KEY: 's3cret' }, cwd: '/app' },
      { transport: 'http', name: 'docs', url: 'http://host.docker.internal:4000/mcp/docs', headers: { Authorization: 'Bearer jetty-run-abc' } },
    ]);
    for (const text of [claudeMcpConfig(servers), codexConfigToml(undefined, servers), JSON.stringify(geminiSettings({}, servers))]) {
      expect(text).not.toContain('real-docs-key');
      expect(text).not.toContain('docs.example');
    }
  });

  it("claude-code: an --mcp-config file with type stdio and type http entries", () => {
    expect(JSON.parse(claudeMcpConfig(servers))).toEqual({
      mcpServers: {
        probe: { type: 'stdio', command: 'env', args: ['-u', 'ANTHROPIC_API_KEY', '-u', 'DEMO_TOKEN', '--', 'node', 'probe.mjs', '--x'], env: { PROBE_KEY: 's3cret' } },
        docs: { type: 'http', url: 'http://host.docker.internal:4000/mcp/docs', headers: { Authorization: 'Bearer jetty-run-abc' } },
      },
    });
  });

  it("codex: [mcp_servers.<name>] tables, the HTTP one's bearer token read from the run key's variable", () => {
    expect(codexConfigToml('http://h/v1', servers).split('\n').slice(13)).toEqual([
      '[mcp_servers.probe]',
      'command = "env"',
      'args = ["-u", "ANTHROPIC_API_KEY", "-u", "DEMO_TOKEN", "--", "node", "probe.mjs", "--x"]',
      'cwd = "/app"',
      'env = { "PROBE_KEY" = "s3cret" }',
      'startup_timeout_sec = 5',
      'tool_timeout_sec = 20',
      '',
      '[mcp_servers.docs]',
      'url = "http://host.docker.internal:4000/mcp/docs"',
      'bearer_token_env_var = "JETTY_CODEX_API_KEY"',
      'startup_timeout_sec = 30',
      'tool_timeout_sec = 300',
      '',
    ]);
  });

  it('gemini-cli: mcpServers (command or httpUrl), trusted, with their tool timeout, and only those allowed', () => {
    const settings = geminiSettings({ maxTurns: 7 }, servers);
    expect(settings).toMatchObject({
      model: { maxSessionTurns: 7 },
      mcpServers: {
        probe: { command: 'env', args: ['-u', 'ANTHROPIC_API_KEY', '-u', 'DEMO_TOKEN', '--', 'node', 'probe.mjs', '--x'], env: { PROBE_KEY: 's3cret' }, cwd: '/app', timeout: 20_000, trust: true },
        docs: { httpUrl: 'http://host.docker.internal:4000/mcp/docs', headers: { Authorization: 'Bearer jetty-run-abc' }, timeout: 300_000, trust: true },
      },
      mcp: { allowed: ['probe', 'docs'] },
    });
    expect(geminiSettings({})).not.toHaveProperty('mcpServers');
  });
});
