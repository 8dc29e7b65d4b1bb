// A real agent CLI using `jetty mcp`: Claude Code (the pinned binary, on the host) gets the
// server through --mcp-config over stdio and talks to the scripted model server in Anthropic's
// wire format; the scripted model calls mcp__jetty__list-collections, then answers from what
// the tool returned.
import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CLI, requireBuiltCli } from '../helpers/cli';
import { ensureClaudeCodeOnHost } from '../helpers/claude-code-host';
import { EXPECTED_TOOLS } from '../helpers/mcp';
import { callTools, lastToolResult, reply, startScriptedModelServer, type ChatRequest, type ScriptStep, type ScriptedModelServer } from '../helpers/scripted-model-server';

const COLLECTION = 'mcp-claude';
const TOOL = 'mcp__jetty__list-collections';

type StreamEvent = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any -- Claude Code's stream-json, checked field by field

describe('Claude Code with jetty mcp (stdio, --mcp-config)', () => {
  let dir: string;
  let claude: string;
  let model: ScriptedModelServer;
  /** What the model saw as the tool's result (the text Claude Code sent back to it). */
  const toolResults: string[] = [];

  /** Calls the tool when it is offered and not yet called; then answers with the collections the result named. */
  function script(request: ChatRequest): ScriptStep {
    const offered = (request.tools ?? []).some((t) => t.type === 'function' && t.function.name === TOOL);
    if (!offered) return reply('(no Jetty tools offered)');
    const result = lastToolResult(request);
    if (result === undefined) return callTools({ name: TOOL, arguments: {} });
    toolResults.push(result);
    const names = (JSON.parse(result) as { name: string }[]).map((c) => c.name);
    return reply(`Your Jetty collections: ${names.join(', ')}.`);
  }

  beforeAll(async () => {
    requireBuiltCli();
    claude = await ensureClaudeCodeOnHost();
    dir = await mkdtemp(path.join(os.tmpdir(), 'jetty-mcp-claude-'));
    await mkdir(path.join(dir, 'workspace', COLLECTION, 'hello'), { recursive: true });
    await writeFile(path.join(dir, 'workspace', COLLECTION, 'hello', 'RUNBOOK.md'), '# Hello\n\n## Objective\n\nSay hello.\n');
    await mkdir(path.join(dir, 'home'));
    model = await startScriptedModelServer(script);
  }, 300_000);

  afterAll(async () => {
    await model?.close();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('connects to jetty mcp, calls list-collections through it, and the result reaches the model', async () => {
    const config = { mcpServers: { jetty: { type: 'stdio', command: process.execPath, args: [CLI, 'mcp', path.join(dir, 'workspace'), '--data-dir', path.join(dir, 'data')] } } };
    await writeFile(path.join(dir, 'mcp.json'), JSON.stringify(config));
    const args = ['-p', 'List my Jetty collections', '--mcp-config', path.join(dir, 'mcp.json'), '--strict-mcp-config', '--allowedTools', TOOL];
    const { stdout } = await new Promise<{ stdout: string; stderr: string }>((resolve, reject) =>
      execFile(
        claude,
        [...args, '--output-format', 'stream-json', '--verbose', '--model', 'claude-sonnet-4-6', '--max-turns', '4'],
        {
          cwd: dir,
          timeout: 120_000,
          maxBuffer: 16 << 20,
          env: {
            PATH: process.env.PATH,
            HOME: path.join(dir, 'home'),
            CLAUDE_CONFIG_DIR: path.join(dir, 'home', '.claude'),
            ANTHROPIC_BASE_URL: new URL(model.url).origin,
            ANTHROPIC_API_KEY: 'sk-ant-test-mcp',
            CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC: '1',
          },
        },
        (error, out, err) => (error ? reject(new Error(`claude failed: ${error.message}\n${err}\n${out}`)) : resolve({ stdout: out, stderr: err })),
      ),
    );
    const events = stdout.split('\n').filter(Boolean).map((line) => JSON.parse(line) as StreamEvent);

    // The server is the run's one MCP server. (Its status in the first event is 'connected', or,
    // on a loaded machine, still 'pending' with its tools not listed yet: the call below is what
    // proves it connected.)
    const init = events.find((e) => e.type === 'system' && e.subtype === 'init');
    expect(init?.mcp_servers).toEqual([{ name: 'jetty', status: expect.stringMatching(/^(connected|pending)$/) }]);
    if (init?.mcp_servers[0].status === 'connected') expect(init.tools.filter((t: string) => t.startsWith('mcp__jetty__'))).toHaveLength(Object.keys(EXPECTED_TOOLS).length);
    // Claude Code called the tool, and its result (the local collections, pretty JSON) came back…
    const calls = events.flatMap((e) => (e.type === 'assistant' ? e.message.content : [])).filter((c: StreamEvent) => c.type === 'tool_use');
    expect(calls.map((c: StreamEvent) => c.name)).toEqual([TOOL]);
    const results = events.flatMap((e) => (e.type === 'user' ? e.message.content : [])).filter((c: StreamEvent) => c.type === 'tool_result');
    expect(results).toHaveLength(1);
    expect(results[0]).toMatchObject({ tool_use_id: calls[0].id });
    expect(results[0].is_error ?? false).toBe(false);
    // …to the model, which answered from it.
    expect(toolResults).toHaveLength(1);
    expect(JSON.parse(toolResults[0])).toEqual([expect.objectContaining({ name: COLLECTION, source: 'folder' })]);
    expect(events.at(-1)).toMatchObject({ type: 'result', subtype: 'success', is_error: false, result: `Your Jetty collections: ${COLLECTION}.` });
  });
});
