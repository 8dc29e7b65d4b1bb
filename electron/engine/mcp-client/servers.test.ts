import { describe, expect, it } from 'vitest';
import type { McpServerDeclaration } from '../../../shared/runbook';
import { stdioLaunch } from './launch';
import { resolveMcpServers, type StdioMcpServer } from './servers';
import { functionNames, mcpToolOf } from './tool-names';

const stdio: McpServerDeclaration = { name: 'gh', transport: 'stdio', command: 'python3', args: ['srv.py', '--repo', '{{repo}}'], env: { GH_TOKEN: '{{secrets.GH}}', MODE: 'ro' }, optional: false, tool_timeout_seconds: 20, source: 'runbook' };
const http: McpServerDeclaration = { name: 'docs', transport: 'http', url: 'https://docs.example/mcp?team={{team}}', headers: { Authorization: 'Bearer {{ secrets.DOCS }}' }, optional: true, source: 'collection' };

describe("a run's MCP servers, filled in", () => {
  it("fills in secrets (by name or env name) and parameters; timeouts in ms, 30 s and 300 s unless declared", () => {
    const secrets: Record<string, string> = { GH: 'ghp_1', DOCS: 'd0c5' };
    const resolved = resolveMcpServers([stdio, http], { secret: (n) => secrets[n], params: { repo: 'acme/app', team: 'blue' } });
    expect(resolved).toEqual({
      servers: [
        { name: 'gh', transport: 'stdio', command: 'python3', args: ['srv.py', '--repo', 'acme/app'], env: { GH_TOKEN: 'ghp_1', MODE: 'ro' }, optional: false, startupTimeoutMs: 30_000, toolTimeoutMs: 20_000 },
        { name: 'docs', transport: 'http', url: 'https://docs.example/mcp?team=blue', headers: { Authorization: 'Bearer d0c5' }, optional: true, startupTimeoutMs: 30_000, toolTimeoutMs: 300_000 },
      ],
      skipped: [],
      problems: [],
    });
  });

  it('stops the run for a required server whose secret has no value, and leaves an optional one out', () => {
    const resolved = resolveMcpServers([stdio, http], { secret: () => undefined, params: {} });
    expect(resolved.servers).toEqual([]);
    expect(resolved.problems).toEqual(["MCP server 'gh': it needs the secret 'GH', which has no value (pass it with the run, or set it in the collection's environment or Settings → Secrets)"]);
    expect(resolved.skipped).toEqual([{ name: 'docs', reason: "it needs the secret 'DOCS', which has no value" }]);
  });

  it('starts a stdio server under env -u: the run secrets it does not name are dropped, its own kept, no value on the command line', () => {
    const server = resolveMcpServers([stdio], { secret: () => 'v', params: {} }).servers[0] as StdioMcpServer;
    expect(stdioLaunch(server, ['OTHER', 'GH_TOKEN', 'ANTHROPIC_API_KEY', 'OTHER'])).toEqual({
      command: 'env',
      args: ['-u', 'ANTHROPIC_API_KEY', '-u', 'OTHER', '--', 'python3', 'srv.py', '--repo', '{{repo}}'],
    });
  });
});

describe('MCP tool names', () => {
  it('names each tool mcp__<server>__<tool> as a function name: invalid characters replaced, at most 64 characters, unique', () => {
    const long = 'x'.repeat(80);
    const names = [...functionNames([{ server: 'docs', tool: 'search' }, { server: 'docs', tool: 'read.file' }, { server: 'docs', tool: 'read_file' }, { server: 'a', tool: long }, { server: 'a', tool: `${long}y` }]).keys()];
    expect(names).toEqual(['mcp__docs__search', 'mcp__docs__read_file', 'mcp__docs__read_file_2', `mcp__a__${'x'.repeat(56)}`, `mcp__a__${'x'.repeat(54)}_2`]);
    expect(names.every((n) => /^[A-Za-z0-9_-]{1,64}$/.test(n))).toBe(true);
  });

  it("reads a CLI's tool name back to its server and tool by the run's server names, the longest first", () => {
    const servers = ['docs', 'docs-v2'];
    expect(mcpToolOf('mcp__docs-v2__search__deep', servers, '__')).toEqual({ server: 'docs-v2', tool: 'search__deep' });
    expect(mcpToolOf('mcp_docs_read_file', servers, '_')).toEqual({ server: 'docs', tool: 'read_file' });
    expect(mcpToolOf('mcp__other__x', servers, '__')).toBeNull();
    expect(mcpToolOf('Bash', servers, '__')).toBeNull();
    expect(mcpToolOf('mcp__docs__', servers, '__')).toBeNull();
  });
});
