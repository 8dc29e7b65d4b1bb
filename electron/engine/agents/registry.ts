/**
 * The agent runtimes by name. Adding a runtime: write its folder beside builtin/ and add
 * one entry here.
 */
import { builtinAgent } from './builtin';
import { claudeCodeAgent } from './claude-code';
import { codexAgent } from './codex';
import { geminiCliAgent } from './gemini-cli';
import type { AgentRuntime } from './types';

const RUNTIMES = new Map<string, AgentRuntime>([builtinAgent, claudeCodeAgent, codexAgent, geminiCliAgent].map((runtime) => [runtime.name, runtime]));

export function listAgentRuntimes(): string[] {
  return [...RUNTIMES.keys()];
}

export function getAgentRuntime(name: string): AgentRuntime {
  const runtime = RUNTIMES.get(name);
  if (!runtime) throw new Error(`Unknown agent runtime '${name}'. Available: ${listAgentRuntimes().join(', ')}.`);
  return runtime;
}
