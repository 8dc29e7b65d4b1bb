import type { SandboxLimits } from '../sandbox';

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
  /** Agent runtime; default: the runbook's agent when available here, else `builtin`. */
  agent?: string;
  model?: string;
  baseURL?: string;
  apiKey?: string;
  maxTurns?: number;
  /** Whole-run timeout; default 30 minutes. */
  timeoutMs?: number;
  /** A custom image instead of the runbook's snapshot/image. */
  image?: string;
  network?: boolean;
  limits?: Partial<SandboxLimits>;
  /** Where the trajectory is filed; default: the runbook's folder names. */
  collection?: string;
  task?: string;
}

export const DEFAULT_RUN_TIMEOUT_MS = 30 * 60 * 1000;
