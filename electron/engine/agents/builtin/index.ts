/**
 * The built-in agent runtime: a tool-calling loop over any OpenAI-compatible chat
 * completions endpoint (see agent-loop.ts). `createBuiltinAgent` takes tuning options
 * (tests shorten the timeouts and backoff); `builtinAgent` uses the defaults.
 */
import type { AgentRuntime } from '../types';
import type { LoopSettings } from './agent-loop';
import { DEFAULT_RETRY_POLICY, type RetryPolicy } from './retry-policy';

/** The loop and the model SDK under it (a large load), read at a run's first use, or ahead while its sandbox starts (`warmUp`). */
let loop: Promise<typeof import('./agent-loop')> | undefined;
const loadLoop = () => (loop ??= import('./agent-loop'));

export interface BuiltinAgentOptions {
  /** Stream completions (default true). */
  stream?: boolean;
  /** Turns when the run input sets none (default 50). */
  defaultMaxTurns?: number;
  retry?: Partial<RetryPolicy>;
  /** A try fails when the model sends nothing for this long (default 120 s). */
  idleTimeoutMs?: number;
  /** Conversation size kept for the model, in JSON characters (default 400 000, ≈100k tokens). */
  contextBudgetChars?: number;
  /** Default bash timeout (default 10 min); the model may ask for another. */
  commandTimeoutMs?: number;
  /** Longest tool output the model sees (default 16 000 characters). */
  toolOutputLimitChars?: number;
}

export function createBuiltinAgent(options: BuiltinAgentOptions = {}): AgentRuntime {
  const settings: Omit<LoopSettings, 'maxTurns'> = {
    stream: options.stream ?? true,
    retry: { ...DEFAULT_RETRY_POLICY, ...options.retry },
    idleTimeoutMs: options.idleTimeoutMs ?? 120_000,
    contextBudgetChars: options.contextBudgetChars ?? 400_000,
    commandTimeoutMs: options.commandTimeoutMs ?? 600_000,
    toolOutputLimitChars: options.toolOutputLimitChars ?? 16_000,
  };
  return {
    name: 'builtin',
    provider: 'openai',
    run: async (input) => (await loadLoop()).runAgentLoop(input, { ...settings, maxTurns: input.maxTurns ?? options.defaultMaxTurns ?? 50 }),
    warmUp: () => void loadLoop(),
  };
}

export const builtinAgent = createBuiltinAgent();
