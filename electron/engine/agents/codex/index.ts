/**
 * The codex runtime: OpenAI's Codex CLI (`codex exec --json`) run headless inside the
 * sandbox, approvals and its own sandbox off (the container is the boundary), with a fresh
 * CODEX_HOME holding the provider config (the run's base URL and key) and the runbook as
 * its global AGENTS.md instructions. Its JSONL events become the trajectory's events. The
 * sandbox image must have `codex` on its PATH (see resources/sandboxes/README.md).
 * Codex has no turn limit of its own, so `maxTurns` does not apply; the run's timeout does.
 */
import { shellQuote } from '../../sandbox/shell-quote';
import { AGENT_FILES_DIR, privateFile, runCliCommand, stderrTail, writeAgentFiles } from '../cli-process';
import { cliMcpServers } from '../mcp-servers';
import { CLI_AGENT_INTRO, runbookPrompt } from '../runbook-prompt';
import type { AgentResult, AgentRunInput, AgentRuntime } from '../types';
import { CODEX_KEY_VARIABLE, codexConfigToml } from './config-toml';
import { createExecJsonReader } from './exec-json';

const CLI = 'codex';
const HOME_DIR = 'codex-home';
const CODEX_HOME = `${AGENT_FILES_DIR}/${HOME_DIR}`;

/** The model id codex sends (a provider prefix such as `openai/` is Jetty's, not the API's). */
const apiModel = (model: string) => model.replace(/^openai\//, '');

function commandLine(input: AgentRunInput): string {
  return [
    CLI,
    'exec',
    '--json',
    '--skip-git-repo-check',
    '--ephemeral',
    '--dangerously-bypass-approvals-and-sandbox',
    '-C', '/app',
    '-m', shellQuote(apiModel(input.model)),
    `"$(cat ${AGENT_FILES_DIR}/task.md)"`,
  ].join(' ');
}

async function run(input: AgentRunInput): Promise<AgentResult> {
  const mcp = cliMcpServers(input.mcp, [CODEX_KEY_VARIABLE]);
  await writeAgentFiles(input.host, {
    [`${HOME_DIR}/config.toml`]: privateFile(codexConfigToml(input.baseURL, mcp)),
    [`${HOME_DIR}/AGENTS.md`]: runbookPrompt(CLI_AGENT_INTRO, input.runbook),
    'task.md': input.task,
  });
  const reader = createExecJsonReader(input.model, input.emit);
  const env = { CODEX_HOME, ...(input.apiKey ? { [CODEX_KEY_VARIABLE]: input.apiKey } : {}) };
  const exit = await runCliCommand(input, CLI, commandLine(input), env, (line) => reader.line(line));
  const { summary, usage, turns, failure } = reader.outcome();
  if (!exit) return { status: 'cancelled', summary, usage, turns };
  if (failure || exit.exitCode !== 0) {
    return { status: 'error', summary, usage, turns, error: `codex: ${failure ?? stderrTail(exit)}` };
  }
  if (turns === 0) return { status: 'error', summary, usage, turns, error: `codex ended without completing its turn: ${stderrTail(exit)}` };
  return { status: 'finished', summary, usage, turns };
}

export const codexAgent: AgentRuntime = { name: 'codex', provider: 'openai', cli: CLI, run };
