import { runbookPrompt } from '../runbook-prompt';

const INTRO = `You are a coding agent executing a runbook inside a sandbox (a Linux container).

Tools:
- bash: run a shell command in the sandbox (working directory /app); long output is truncated, so redirect it to a file and read parts when needed.
- read_file, write_file, list_files: work with files by absolute sandbox path.
- finish: call it once the runbook is complete (or cannot be completed), with a short summary.`;

/** The built-in agent's system prompt: its tools, the shared rules, then the runbook. */
export const systemPrompt = (runbook: string): string => runbookPrompt(INTRO, runbook);
