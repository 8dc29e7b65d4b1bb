/**
 * What the CLI runtimes (claude-code, codex, gemini-cli) share: the folder their prompt and
 * config files go to in the sandbox (written in one archive), running the CLI — behind a
 * check that it is on the PATH, in the same exec — with its JSON-lines output read line by
 * line, and the CLI's own words when it fails.
 */
import { SANDBOX_WORKDIR } from '../sandbox/files';
import { shellQuote } from '../sandbox/shell-quote';
import type { ExecResult, ToolHost } from '../sandbox/tool-host';
import type { AgentRunInput } from './types';

/** Where a CLI runtime's prompt and config files go in the sandbox (outside /app/results). */
export const AGENT_FILES_DIR = '/tmp/jetty-agent';

/** The sandbox image has no `cli` on its PATH: the CLI's exec checks that first, so it costs no exec of its own. */
export class MissingCliError extends Error {
  constructor(readonly cli: string) {
    super(`the ${cli} CLI is not on the sandbox image's PATH`);
  }
}

/** What the CLI's exec prints to stderr (with exit code 127) when the CLI is not on the PATH. */
const missingCliNotice = (cli: string) => `jetty: ${cli} is not on the PATH`;

/** `command` behind a check that `cli` is on the PATH. */
const checkedCommand = (cli: string, command: string) =>
  `command -v ${cli} >/dev/null 2>&1 || { echo ${shellQuote(missingCliNotice(cli))} >&2; exit 127; }; ${command}`;

/** A file only its owner may read: a CLI's config holding the run's token or a stdio MCP server's secrets. */
export const privateFile = (content: string) => ({ content, mode: 0o600 });

/**
 * Writes a CLI runtime's files (config, instructions, task) into AGENT_FILES_DIR, keyed by
 * their paths under it, in one archive: one Docker call for all of them.
 */
export function writeAgentFiles(host: ToolHost, files: Record<string, string | { content: string; mode: number }>): Promise<void> {
  return host.writeFiles(Object.entries(files).map(([name, file]) => ({ path: `${AGENT_FILES_DIR}/${name}`, ...(typeof file === 'string' ? { content: file } : file) })));
}

/** Splits a byte stream's text into lines, handing each complete one on. */
export function lineSplitter(onLine: (line: string) => void): { push(chunk: string): void; end(): void } {
  let pending = '';
  return {
    push(chunk) {
      const lines = (pending + chunk).split('\n');
      pending = lines.pop()!;
      for (const line of lines) onLine(line);
    },
    end() {
      if (pending) onLine(pending);
      pending = '';
    },
  };
}

/**
 * Runs a CLI's command line in /app with `env`, handing each line it prints to `onLine`.
 * Null when the run was cancelled or timed out (the command's processes are killed).
 * Throws MissingCliError when `cli` is not on the image's PATH (checked in the same exec).
 */
export async function runCliCommand(
  input: AgentRunInput,
  cli: string,
  command: string,
  env: Record<string, string>,
  onLine: (line: string) => void,
): Promise<ExecResult | null> {
  const lines = lineSplitter(onLine);
  try {
    const exit = await input.host.exec(checkedCommand(cli, command), { cwd: SANDBOX_WORKDIR, env: { ...input.env, ...env }, signal: input.signal, onStdout: lines.push });
    lines.end();
    if (exit.exitCode === 127 && exit.stderr.includes(missingCliNotice(cli))) throw new MissingCliError(cli);
    return exit;
  } catch (error) {
    if (input.signal.aborted) return null;
    throw error;
  }
}

/** The end of what a CLI wrote to stderr (its own error message), else its exit code. */
export function stderrTail(exit: ExecResult, lines = 5): string {
  return exit.stderr.trim().split('\n').slice(-lines).join('\n') || `exit code ${exit.exitCode}`;
}
