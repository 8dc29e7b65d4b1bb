/**
 * The claude-code runtime: Anthropic's Claude Code CLI (`claude`) run inside the sandbox in
 * print mode, with the runbook appended to its system prompt and permission prompts off
 * (the container is the boundary). Its own tools (Bash, Read, Write, Edit…) work in the
 * container; its stream-json output becomes the trajectory's events. The sandbox image
 * must have `claude` on its PATH (see resources/sandboxes/README.md).
 */
import { shellQuote } from '../../sandbox/shell-quote';
import { AGENT_FILES_DIR, runCliCommand, stderrTail, writeAgentFiles } from '../cli-process';
import { CLI_AGENT_INTRO, runbookPrompt } from '../runbook-prompt';
import type { AgentResult, AgentRunInput, AgentRuntime } from '../types';
import { createStreamJsonReader } from './stream-json';

const CLI = 'claude';
const PROMPT_DIR = AGENT_FILES_DIR;
const DEFAULT_MAX_TURNS = 50;

/** The `claude` command line: prompts read from files so no argument hits a length limit. */
function commandLine(input: AgentRunInput): string {
  return [
    CLI,
    '-p', `"$(cat ${PROMPT_DIR}/task.md)"`,
    '--append-system-prompt', `"$(cat ${PROMPT_DIR}/runbook.md)"`,
    '--output-format', 'stream-json',
    '--verbose',
    '--model', shellQuote(input.model),
    '--max-turns', String(input.maxTurns ?? DEFAULT_MAX_TURNS),
    '--dangerously-skip-permissions',
  ].join(' ');
}

async function run(input: AgentRunInput): Promise<AgentResult> {
  await writeAgentFiles(input.host, { 'runbook.md': runbookPrompt(CLI_AGENT_INTRO, input.runbook), 'task.md': input.task });
  const reader = createStreamJsonReader(input.model, input.emit);
  const env: Record<string, string> = {
    // Claude Code refuses to skip permission prompts as root unless told it is sandboxed.
    IS_SANDBOX: '1',
    // No update checks, telemetry or error reporting from inside a run.
    CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC: '1',
    ...(input.apiKey ? { ANTHROPIC_API_KEY: input.apiKey } : {}),
    ...(input.baseURL ? { ANTHROPIC_BASE_URL: input.baseURL.replace(/\/v1\/?$/, '') } : {}),
  };
  const usage = { prompt_tokens: 0, completion_tokens: 0, total_tokens: 0 };
  const exit = await runCliCommand(input, CLI, commandLine(input), env, (line) => reader.line(line));
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
