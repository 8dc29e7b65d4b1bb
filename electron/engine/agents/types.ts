import type { NewTrajectoryEvent, Usage } from '../../../shared/trajectory';
import type { ToolHost } from '../sandbox/tool-host';
import type { McpSession } from '../mcp-client/session';
import type { RunMcpServer } from '../mcp-client/servers';

/** The MCP servers a run gives its agent, and how they are reached from the sandbox. */
export interface AgentMcp {
  /** The servers to configure (an optional one that did not start is not among them). */
  servers: RunMcpServer[];
  /** The URL an agent in the sandbox reaches the HTTP server `name` at: the run gateway's `/mcp/<name>`. */
  containerUrl(name: string): string;
  /** The run's gateway token, which the gateway takes for MCP as for model calls (as `Authorization: Bearer`). */
  token: string;
  /** Variables a stdio server must not inherit from the agent's environment: the run's secrets (each keeps those its own `env` names). */
  unset: string[];
  /** Open connections, for an agent that is the MCP client itself (the built-in agent); empty for a CLI, which connects on its own. */
  sessions: McpSession[];
}

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
  /** The run's MCP servers, when it has any. */
  mcp?: AgentMcp;
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
