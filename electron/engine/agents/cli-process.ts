/**
 * What the CLI runtimes (claude-code, codex, gemini-cli) share: the folder their prompt and
 * config files go to in the sandbox, running the CLI with its JSON-lines output read line
 * by line, and the CLI's own words when it fails.
 */
import { SANDBOX_WORKDIR } from '../sandbox/files';
import type { ExecResult, ToolHost } from '../sandbox/tool-host';
import type { AgentRunInput } from './types';

/** Where a CLI runtime's prompt and config files go in the sandbox (outside /app/results). */
export const AGENT_FILES_DIR = '/tmp/jetty-agent';

/** Whether the sandbox has `cli` on its PATH. */
export async function hasCommand(host: ToolHost, cli: string): Promise<boolean> {
  return (await host.exec(`command -v ${cli}`)).exitCode === 0;
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
 */
export async function runCliCommand(input: AgentRunInput, command: string, env: Record<string, string>, onLine: (line: string) => void): Promise<ExecResult | null> {
  const lines = lineSplitter(onLine);
  try {
    const exit = await input.host.exec(command, { cwd: SANDBOX_WORKDIR, env: { ...input.env, ...env }, signal: input.signal, onStdout: lines.push });
    lines.end();
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
