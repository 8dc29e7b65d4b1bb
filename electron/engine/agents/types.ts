import type { TrajectoryEvent, Usage } from '../../../shared/trajectory';
import type { ToolHost } from '../sandbox/tool-host';

/** An event an agent reports; the orchestrator stamps seq and time and stores it. */
export type AgentEvent = Omit<TrajectoryEvent, 'seq' | 'time'>;

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

/** One agent runtime (builtin, claude-code, codex, gemini-cli). */
export interface AgentRuntime {
  name: string;
  /**
   * The API its model calls speak, which picks the base URL and key a run gets when the
   * request names none: `OPENAI_BASE_URL`/`OPENAI_API_KEY` or `ANTHROPIC_BASE_URL`/`ANTHROPIC_API_KEY`.
   */
  provider: 'openai' | 'anthropic';
  /** Whether it can run in this sandbox (a CLI runtime needs its CLI in the image); default yes. */
  isAvailable?(host: ToolHost): Promise<boolean>;
  run(input: AgentRunInput): Promise<AgentResult>;
}
