/**
 * The gemini-cli runtime: Google's Gemini CLI (`gemini -p … -o stream-json --approval-mode
 * yolo`) run headless inside the sandbox, with a fresh GEMINI_CLI_HOME whose
 * `.gemini/settings.json` selects API-key auth (a custom base URL otherwise makes it pick
 * gateway auth and exit 41) and lists the run's MCP servers (`mcpServers`, trusted; their
 * tools are `mcp_<server>_<tool>`), and whose `.gemini/GEMINI.md` holds the runbook as global
 * context. It speaks the Gemini API to the run's base URL. Its stream-json events become
 * the trajectory's events. The sandbox image must have `gemini` (and Node) on its PATH.
 */
import { shellQuote } from '../../sandbox/shell-quote';
import { AGENT_FILES_DIR, privateFile, runCliCommand, stderrTail, writeAgentFiles } from '../cli-process';
import { cliMcpServers, type CliMcpServer } from '../mcp-servers';
import { CLI_AGENT_INTRO, runbookPrompt } from '../runbook-prompt';
import type { AgentResult, AgentRunInput, AgentRuntime } from '../types';
import { createGeminiStreamReader } from './stream-json';

const CLI = 'gemini';
const HOME_DIR = 'gemini-home';
const GEMINI_HOME = `${AGENT_FILES_DIR}/${HOME_DIR}`;
const DEFAULT_MAX_TURNS = 50;

/** The model id the CLI sends (a provider prefix such as `gemini/` is Jetty's, not the API's). */
const apiModel = (model: string) => model.replace(/^(gemini|google)\//, '');

/** The variables holding what gemini-cli authenticates with: no MCP server inherits them. */
const CREDENTIALS = ['GEMINI_API_KEY', 'GOOGLE_API_KEY'];

/** One `mcpServers` entry: `command` (stdio) or `httpUrl` (Streamable HTTP), trusted (no confirmations), with its tool timeout. */
function mcpServerEntry(s: CliMcpServer) {
  const where = s.transport === 'stdio' ? { command: s.command, args: s.args, env: s.env, cwd: s.cwd } : { httpUrl: s.url, headers: s.headers };
  return { ...where, timeout: s.server.toolTimeoutMs, trust: true };
}

/** The CLI's settings: API-key auth, no usage statistics, the run's turn limit, the run's MCP servers (and only those). */
export const geminiSettings = (input: Pick<AgentRunInput, 'maxTurns'>, mcp: readonly CliMcpServer[] = []) => ({
  security: { auth: { selectedType: 'gemini-api-key' } },
  privacy: { usageStatisticsEnabled: false },
  model: { maxSessionTurns: input.maxTurns ?? DEFAULT_MAX_TURNS },
  ...(mcp.length > 0 && { mcpServers: Object.fromEntries(mcp.map((s) => [s.name, mcpServerEntry(s)])), mcp: { allowed: mcp.map((s) => s.name) } }),
});

function commandLine(input: AgentRunInput): string {
  return [CLI, '-p', `"$(cat ${AGENT_FILES_DIR}/task.md)"`, '-o', 'stream-json', '--approval-mode', 'yolo', '-m', shellQuote(apiModel(input.model))].join(' ');
}

function environment(input: AgentRunInput): Record<string, string> {
  return {
    GEMINI_CLI_HOME: GEMINI_HOME,
    // yolo is ignored in folders the CLI does not trust.
    GEMINI_CLI_TRUST_WORKSPACE: 'true',
    ...(input.apiKey ? { GEMINI_API_KEY: input.apiKey } : {}),
    // The CLI adds /v1beta/models/… itself.
    ...(input.baseURL ? { GOOGLE_GEMINI_BASE_URL: input.baseURL.replace(/\/(v1|v1beta)\/?$/, '') } : {}),
  };
}

async function run(input: AgentRunInput): Promise<AgentResult> {
  const mcp = cliMcpServers(input.mcp, CREDENTIALS);
  await writeAgentFiles(input.host, {
    [`${HOME_DIR}/.gemini/settings.json`]: privateFile(JSON.stringify(geminiSettings(input, mcp), null, 2)),
    [`${HOME_DIR}/.gemini/GEMINI.md`]: runbookPrompt(CLI_AGENT_INTRO, input.runbook),
    'task.md': input.task,
  });
  const reader = createGeminiStreamReader(input.model, input.emit, mcp.map((s) => s.name));
  const exit = await runCliCommand(input, CLI, commandLine(input), environment(input), (line) => reader.line(line));
  reader.end();
  const result = reader.result();
  const base = { summary: reader.summary(), usage: result?.usage ?? { prompt_tokens: 0, completion_tokens: 0, total_tokens: 0 }, turns: result ? 1 : 0 };
  if (!exit) return { status: 'cancelled', ...base };
  if (result?.ok && exit.exitCode === 0) return { status: 'finished', ...base };
  const why = result?.error ?? reader.lastError() ?? stderrTail(exit);
  return { status: 'error', ...base, error: `gemini-cli: ${why}${exit.exitCode !== 0 ? ` (exit code ${exit.exitCode})` : ''}` };
}

export const geminiCliAgent: AgentRuntime = { name: 'gemini-cli', provider: 'gemini', cli: CLI, run };
