/**
 * The claude-code runtime: Anthropic's Claude Code CLI (`claude`) run inside the sandbox in
 * print mode, with the runbook appended to its system prompt and permission prompts off
 * (the container is the boundary). Its own tools (Bash, Read, Write, Edit…) work in the
 * container, and the run's MCP servers are its only ones (`--mcp-config` with
 * `--strict-mcp-config`; their tools are `mcp__<server>__<tool>`); its stream-json output
 * becomes the trajectory's events. The sandbox image
 * must have `claude` on its PATH (see resources/sandboxes/README.md).
 */
import { shellQuote } from '../../sandbox/shell-quote';
import { AGENT_FILES_DIR, privateFile, runCliCommand, stderrTail, writeAgentFiles } from '../cli-process';
import { cliMcpServers, longestTimeouts, type CliMcpServer } from '../mcp-servers';
import { CLI_AGENT_INTRO, runbookPrompt } from '../runbook-prompt';
import type { AgentResult, AgentRunInput, AgentRuntime } from '../types';
import { createStreamJsonReader } from './stream-json';

const CLI = 'claude';
const PROMPT_DIR = AGENT_FILES_DIR;
const DEFAULT_MAX_TURNS = 50;
const MCP_CONFIG = 'mcp.json';
/** The variables holding what claude-code authenticates with: no MCP server inherits them. */
const CREDENTIALS = ['ANTHROPIC_API_KEY', 'ANTHROPIC_AUTH_TOKEN'];

/** `--mcp-config`'s file: `{mcpServers: {name: {type: 'stdio', command, args, env} | {type: 'http', url, headers}}}`. */
export function claudeMcpConfig(servers: readonly CliMcpServer[]): string {
  const entries = servers.map((s) => [s.name, s.transport === 'stdio' ? { type: 'stdio', command: s.command, args: s.args, env: s.env } : { type: 'http', url: s.url, headers: s.headers }]);
  return JSON.stringify({ mcpServers: Object.fromEntries(entries) }, null, 2);
}

/** The `claude` command line: prompts read from files so no argument hits a length limit; only the run's MCP servers (strict). */
function commandLine(input: AgentRunInput, withMcp: boolean): string {
  return [
    CLI,
    '-p', `"$(cat ${PROMPT_DIR}/task.md)"`,
    '--append-system-prompt', `"$(cat ${PROMPT_DIR}/runbook.md)"`,
    '--output-format', 'stream-json',
    '--verbose',
    '--model', shellQuote(input.model),
    '--max-turns', String(input.maxTurns ?? DEFAULT_MAX_TURNS),
    '--dangerously-skip-permissions',
    ...(withMcp ? ['--mcp-config', `${PROMPT_DIR}/${MCP_CONFIG}`, '--strict-mcp-config'] : []),
  ].join(' ');
}

async function run(input: AgentRunInput): Promise<AgentResult> {
  const mcp = cliMcpServers(input.mcp, CREDENTIALS);
  await writeAgentFiles(input.host, {
    'runbook.md': runbookPrompt(CLI_AGENT_INTRO, input.runbook),
    'task.md': input.task,
    ...(mcp.length > 0 ? { [MCP_CONFIG]: privateFile(claudeMcpConfig(mcp)) } : {}),
  });
  const reader = createStreamJsonReader(input.model, input.emit, mcp.map((s) => s.name));
  const timeouts = longestTimeouts(mcp);
  const env: Record<string, string> = {
    // Claude Code refuses to skip permission prompts as root unless told it is sandboxed.
    IS_SANDBOX: '1',
    // No update checks, telemetry or error reporting from inside a run.
    CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC: '1',
    ...(input.apiKey ? { ANTHROPIC_API_KEY: input.apiKey } : {}),
    ...(input.baseURL ? { ANTHROPIC_BASE_URL: input.baseURL.replace(/\/v1\/?$/, '') } : {}),
    // Its MCP servers' start-up and tool-call timeouts (one for all: the longest).
    ...(mcp.length > 0 ? { MCP_TIMEOUT: String(timeouts.startupMs), MCP_TOOL_TIMEOUT: String(timeouts.toolMs) } : {}),
  };
  const usage = { prompt_tokens: 0, completion_tokens: 0, total_tokens: 0 };
  const exit = await runCliCommand(input, CLI, commandLine(input, mcp.length > 0), env, (line) => reader.line(line));
  if (!exit) return { status: 'cancelled', summary: null, usage, turns: 0 };
  const result = reader.result();
  if (!result) return { status: 'error', summary: null, usage, turns: 0, error: `claude-code ended without a result: ${stderrTail(exit)}` };
  const base = { summary: result.text, usage: result.usage, turns: result.turns };
  if (result.subtype === 'error_max_turns') return { status: 'max_turns', ...base };
  if (result.isError || result.subtype !== 'success') {
    return { status: 'error', ...base, error: `claude-code: ${result.text ?? result.subtype}` };
  }
  return { status: 'finished', ...base };
}

export const claudeCodeAgent: AgentRuntime = {
  name: 'claude-code',
  provider: 'anthropic',
  cli: CLI,
  run,
};
