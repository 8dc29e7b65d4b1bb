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
  run(input: AgentRunInput): Promise<AgentResult>;
}
