import { describe, expect, it } from 'vitest';
import type { RunbookAnalysis } from '../../../shared/runbook';
import { analyzeRunbookText } from './index';

const runbook = (frontmatter: string, body = '# Docs\n\nUse the docs server.\n') => `---\nversion: "1.0.0"\nevaluation: programmatic\n${frontmatter}---\n\n${body}`;
const lint = (text: string, collection?: string) => analyzeRunbookText(text, { path: 'RUNBOOK.md', collection });
const problems = (a: RunbookAnalysis) => a.diagnostics.filter((d) => d.severity === 'error').map((d) => [d.code, d.message, d.range.line]);

const BOTH = `secrets:
  DOCS_KEY: { env: DOCS_KEY }
  GH_TOKEN: { env: GH_TOKEN }
mcp_servers:
  docs:
    url: https://docs.example/mcp
    headers:
      Authorization: "Bearer {{secrets.DOCS_KEY}}"
    optional: true
  gh:
    command: python3
    args: [gh_server.py, --port, 8080]
    env:
      GH_TOKEN: "{{secrets.GH_TOKEN}}"
    startup_timeout_seconds: 5
`;

describe("a runbook's MCP servers", () => {
  it('reads a stdio and an HTTP server, their values kept as references, with no diagnostics', () => {
    const a = lint(runbook(BOTH));
    expect(problems(a)).toEqual([]);
    expect(a.mcpServers).toEqual([
      { name: 'docs', transport: 'http', url: 'https://docs.example/mcp', headers: { Authorization: 'Bearer {{secrets.DOCS_KEY}}' }, optional: true, source: 'runbook' },
      { name: 'gh', transport: 'stdio', command: 'python3', args: ['gh_server.py', '--port', '8080'], env: { GH_TOKEN: '{{secrets.GH_TOKEN}}' }, optional: false, startup_timeout_seconds: 5, source: 'runbook' },
    ]);
    // Both secrets are used by the servers alone: they stay out of the sandbox's environment.
    expect(a.mcpOnlySecrets).toEqual(['DOCS_KEY', 'GH_TOKEN']);
  });

  it('keeps a secret the body uses too in the sandbox', () => {
    const a = lint(runbook(BOTH, '# Docs\n\nRun `gh api` with {{secrets.GH_TOKEN}}.\n'));
    expect(a.mcpOnlySecrets).toEqual(['DOCS_KEY']);
  });

  it('says a secret a server uses but the runbook does not declare (RB012, at the reference)', () => {
    const a = lint(runbook('mcp_servers:\n  docs:\n    url: https://docs.example/mcp\n    headers: { X-Key: "{{secrets.NOPE}}" }\n'));
    expect(problems(a)).toEqual([['RB012', "secret 'NOPE' is used but not declared", 7]]);
  });

  it.each([
    ['a list', 'mcp_servers: [docs]\n', 'RB035', '`mcp_servers` is not a mapping of server names to their settings', 4],
    ['a bad name', 'mcp_servers:\n  my_docs:\n    command: x\n', 'RB035', "MCP server name 'my_docs' is not 1–48 letters, digits or '-' (starting with a letter or digit)", 5],
    ['an unknown key', 'mcp_servers:\n  docs:\n    command: x\n    header: y\n', 'RB035', "MCP server 'docs': unknown setting 'header'", 7],
    ['args not strings', 'mcp_servers:\n  docs:\n    command: x\n    args: [{a: 1}]\n', 'RB035', "MCP server 'docs': 'args' is not a list of strings", 7],
    ['a bad env name', 'mcp_servers:\n  docs:\n    command: x\n    env: { 1X: y }\n', 'RB035', "MCP server 'docs': 'env.1X' is not a valid environment variable name", 7],
    ['a header the gateway sets', 'mcp_servers:\n  docs:\n    url: http://d/mcp\n    headers: { Mcp-Session-Id: y }\n', 'RB035', "MCP server 'docs': header 'Mcp-Session-Id' is set by the gateway, not by the runbook", 7],
    ['optional not a boolean', 'mcp_servers:\n  docs:\n    command: x\n    optional: "yes"\n', 'RB035', "MCP server 'docs': `optional` is not true or false", 7],
    ['a timeout out of range', 'mcp_servers:\n  docs:\n    command: x\n    tool_timeout_seconds: 0\n', 'RB035', "MCP server 'docs': 'tool_timeout_seconds' is not a number of seconds between 0 and 3600", 7],
    ['command and url', 'mcp_servers:\n  docs:\n    command: x\n    url: http://d/mcp\n', 'RB036', "MCP server 'docs': has both `command` (stdio) and `url` (HTTP)", 5],
    ['neither', 'mcp_servers:\n  docs:\n    optional: true\n', 'RB036', "MCP server 'docs': has neither `command` (stdio) nor `url` (HTTP)", 5],
    ['an SSE server', 'mcp_servers:\n  docs:\n    type: sse\n    url: http://d/sse\n', 'RB036', "MCP server 'docs': transport 'sse' is not one Jetty runs (stdio, or Streamable HTTP: 'http')", 6],
    ['a websocket url', 'mcp_servers:\n  docs:\n    url: ws://d/mcp\n', 'RB036', 'MCP server \'docs\': url "ws://d/mcp" is not an http(s) URL', 6],
    ['headers on a stdio server', 'mcp_servers:\n  docs:\n    command: x\n    headers: { A: b }\n', 'RB036', "MCP server 'docs': `headers` apply to HTTP servers, not to a stdio one", 7],
    ['env on an HTTP server', 'mcp_servers:\n  docs:\n    url: http://d/mcp\n    env: { A: b }\n', 'RB036', "MCP server 'docs': `args` and `env` apply to stdio servers, not to an HTTP one", 7],
  ])('refuses %s, at the line it concerns', (_what, frontmatter, code, message, line) => {
    const a = lint(runbook(frontmatter));
    expect(problems(a)).toEqual([[code, message, line]]);
    expect(a.mcpServers).toBeUndefined();
  });

  it('refuses a secret in a stdio command line (RB037), telling to pass it in env', () => {
    const a = lint(runbook('secrets:\n  K: { env: K }\nmcp_servers:\n  docs:\n    command: x\n    args: ["--key={{secrets.K}}"]\n'));
    expect(a.diagnostics.filter((d) => d.code === 'RB037').map((d) => [d.message, d.range.line, d.hint])).toEqual([
      ["MCP server 'docs': secret 'K' is in its command or args, where the sandbox's process list and the agent's config show it", 9, 'Pass it in `env` (e.g. `env: { K: "{{secrets.K}}" }`) and read it there.'],
    ]);
  });
});

describe("a collection's MCP servers (collection.json)", () => {
  const COLLECTION = JSON.stringify({ mcp_servers: { docs: { url: 'https://docs.example/mcp', headers: { 'X-Key': '{{secrets.TEAM_DOCS_KEY}}' } }, gh: { command: 'gh-mcp', optional: true, env: { T: '{{secrets.GH}}' } } } });

  it("gives them to every runbook of the collection, with their secrets declared for it; the runbook's own server wins by name", () => {
    const a = lint(runbook('mcp_servers:\n  gh:\n    command: python3\n    args: [own.py]\n'), COLLECTION);
    expect(problems(a)).toEqual([]);
    expect(a.mcpServers?.map((s) => [s.name, s.source, s.command ?? s.url])).toEqual([
      ['docs', 'collection', 'https://docs.example/mcp'],
      ['gh', 'runbook', 'python3'],
    ]);
    expect(a.secrets).toEqual([{ name: 'TEAM_DOCS_KEY', env: null, required: true, description: "for the MCP server 'docs' (collection.json)" }]);
    expect(a.mcpOnlySecrets).toEqual(['TEAM_DOCS_KEY']);
  });

  it('declares the secret of an optional server as optional', () => {
    const a = lint(runbook(''), JSON.stringify({ mcp_servers: { gh: { command: 'gh-mcp', optional: true, env: { T: '{{secrets.GH}}' } } } }));
    expect(a.secrets).toEqual([{ name: 'GH', env: null, required: false, description: "for the MCP server 'gh' (collection.json)" }]);
  });

  it('says what is wrong with the file, naming it, at the first line', () => {
    expect(problems(lint(runbook(''), '{"mcp_servers": {'))).toEqual([['RB038', expect.stringMatching(/^collection\.json: not valid JSON \(/), 1]]);
    expect(problems(lint(runbook(''), '[1, 2]'))).toEqual([['RB038', 'collection.json: not a JSON object', 1]]);
    expect(problems(lint(runbook(''), JSON.stringify({ mcp_servers: { docs: { url: 'ftp://x' } } })))).toEqual([['RB036', 'collection.json: MCP server \'docs\': url "ftp://x" is not an http(s) URL', 1]]);
  });

  it('reads nothing but mcp_servers: a collection.json without them gives no servers and no diagnostics', () => {
    const a = lint(runbook(''), JSON.stringify({ info: { name: 'a Postman collection' }, item: [] }));
    expect(problems(a)).toEqual([]);
    expect(a.mcpServers).toBeUndefined();
  });
});
