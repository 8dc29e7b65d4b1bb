import type { NewTrajectoryEvent, Usage } from '../../../shared/trajectory';
import type { ToolHost } from '../sandbox/tool-host';

/** An event an agent reports; the orchestrator stamps seq and time and stores it. */
export type AgentEvent = NewTrajectoryEvent;

export interface AgentRunInput {
  /** The rendered runbook (the system prompt). */
  runbook: string;
  /** What to do, e.g. "Execute the runbook with parameters: results_dir=/app/results". */
  task: string;
  host: ToolHost;
  model: string;
  baseURL?: string;
  apiKey?: string;
  maxTurns?: number;
  /** Environment for commands (secrets arrive here, never in the prompt). */
  env?: Record<string, string>;
  signal: AbortSignal;
  emit(event: AgentEvent): void;
}

export interface AgentResult {
  status: 'finished' | 'max_turns' | 'cancelled' | 'error';
  summary: string | null;
  usage: Usage;
  turns: number;
  error?: string;
}

export type ModelProvider = 'openai' | 'anthropic' | 'gemini';

/** The environment variables that give each provider's base URL and key (the first key set wins). */
export const PROVIDER_VARIABLES: Record<ModelProvider, { baseURL: string; apiKey: string[] }> = {
  openai: { baseURL: 'OPENAI_BASE_URL', apiKey: ['OPENAI_API_KEY'] },
  anthropic: { baseURL: 'ANTHROPIC_BASE_URL', apiKey: ['ANTHROPIC_API_KEY'] },
  gemini: { baseURL: 'GOOGLE_GEMINI_BASE_URL', apiKey: ['GEMINI_API_KEY', 'GOOGLE_API_KEY'] },
};

/** One agent runtime (builtin, claude-code, codex, gemini-cli). */
export interface AgentRuntime {
  name: string;
  /**
   * The API its model calls speak, which picks the base URL and key a run gets when the
   * request names none (see PROVIDER_VARIABLES).
   */
  provider: ModelProvider;
  /** The command-line program it runs inside the sandbox, which the image must have on its PATH. */
  cli?: string;
  run(input: AgentRunInput): Promise<AgentResult>;
  /** Loads what its run will need (a large SDK) ahead, while the run's sandbox starts; optional. */
  warmUp?(): void;
}
