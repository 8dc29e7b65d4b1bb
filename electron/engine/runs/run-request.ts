import type { SandboxLimits, SandboxNetwork } from '../sandbox';

/** Where a request's choices came from (e.g. "Settings → Default agent"), for the run plan's reasons; default "the request". */
export type ChoiceOrigins = Partial<Record<'agent' | 'model' | 'baseURL' | 'image', string>> & {
  /** Where provider variables of `modelEnv` came from, by name (OPENAI_BASE_URL: "Settings → Model endpoint"); default: the variable. */
  variables?: Record<string, string>;
};

/** Everything needed to start a local run of a runbook. */
export interface RunRequest {
  runbookPath: string;
  /** Parameter values by template variable name. */
  params?: Record<string, string>;
  /** Host files copied into /app/assets (by base name). */
  files?: string[];
  /** Secret values by declared secret name: passed as environment, never stored. */
  secrets?: Record<string, string>;
  /** Looks up declared secrets not in `secrets` (e.g. the app's secret vault). */
  secretSource?(name: string): string | undefined;
  /** Agent runtime; default: the runbook's agent. */
  agent?: string;
  /**
   * When the runbook's agent cannot run here (not in Jetty Desktop, or its CLI missing from
   * the sandbox image), use the built-in agent instead of failing; default: whether
   * `JETTY_AGENT_FALLBACK=builtin` is set. Never applies to an `agent` the request names.
   */
  agentFallback?: boolean;
  model?: string;
  choiceOrigins?: ChoiceOrigins;
  /** Start even though lint finds errors ("Run anyway", as the cloud would); recorded as a warning in the trajectory. */
  runAnyway?: boolean;
  /** The agent's model endpoint and key; default: its provider's variables (see `modelEnv`). */
  baseURL?: string;
  apiKey?: string;
  /**
   * Provider variables by name (`OPENAI_BASE_URL`, `OPENAI_API_KEY`, `ANTHROPIC_BASE_URL`,
   * `ANTHROPIC_API_KEY`, `GOOGLE_GEMINI_BASE_URL`, `GEMINI_API_KEY`/`GOOGLE_API_KEY`) for
   * runtimes the request gives no `baseURL`/`apiKey`; default: the runner's environment.
   */
  modelEnv?: Record<string, string | undefined>;
  maxTurns?: number;
  /** Whole-run timeout; default 30 minutes. */
  timeoutMs?: number;
  /** A local or pullable image instead of the runbook's snapshot/image (the run's, its collection's or Settings'; see ChoiceOrigins). */
  image?: string;
  /** The sandbox's network (default on); 'gateway': only the run gateway (see SandboxNetwork). */
  network?: SandboxNetwork;
  limits?: Partial<SandboxLimits>;
  /** Where the trajectory is filed; default: the runbook's folder names. */
  collection?: string;
  task?: string;
  /** The trajectory's id, chosen by the caller (a workflow step journals it before the run starts); default a fresh one. */
  trajectoryId?: string;
  /** The environment the run's plan is resolved from (`JETTY_MODEL`, …); default the runner's: another process's, for a run `jetty run` hands a serve. */
  env?: NodeJS.ProcessEnv;
}

/** The front door a run is ordered through; it names the order's own choices in the run plan ("the run panel"). */
export type RunDoor = 'ui' | 'rest' | 'chat' | 'cli' | 'workflow' | 'evaluation';

/**
 * What a caller asks for, the same at every front door: a RunRequest before Settings, the
 * vault, the process environment and the collection environment fill in the rest
 * (`assembleRun`). `secrets` are the ones the caller gives (secret params, `--secret`).
 */
export type RunOrder = Omit<RunRequest, 'secretSource' | 'modelEnv' | 'choiceOrigins' | 'env'> & { door: RunDoor };

export const DEFAULT_RUN_TIMEOUT_MS = 30 * 60 * 1000;
