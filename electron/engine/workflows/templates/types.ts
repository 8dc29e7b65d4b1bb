import type { Usage } from '../../../../shared/trajectory';
import type { Budget } from '../bounds';
import type { ModelClient } from '../model-client';
import type { Download } from '../provider-download';

export type ParameterType = 'string' | 'number' | 'integer' | 'boolean' | 'object' | 'array' | 'any';

export interface ParameterSpec {
  name: string;
  type: ParameterType;
  description: string;
  /** Required unless another name in `alternatives` is given. */
  required?: boolean;
  /** Other names that satisfy a required parameter (`items` for `item`, `user_prompt` for `prompt`). */
  alternatives?: string[];
}

/** What a step returns: its outputs, model usage to add to the run, and (control steps) where to go next. */
export interface StepResult {
  outputs: Record<string, unknown>;
  usage?: Usage | null;
}

/** A fan-out request, run by the engine (children are journaled runs of their own). */
export interface FanOut {
  items: unknown[];
  collection: string;
  task: string;
  itemParamName: string;
  additionalParams: Record<string, unknown>;
  maxConcurrency: number;
  continueOnError: boolean;
}

export interface ChildOutcome {
  trajectory_id: string;
  status: string;
  error: string | null;
}

/** A runbook run as a step: parameters in, artifacts and evaluation out. */
export interface RunbookStepRequest {
  runbook: string | null;
  task: string | null;
  parameters: Record<string, string>;
  model?: string;
  agent?: string;
  image?: string;
  timeoutMs?: number;
  /** The run's trajectory id, journaled before it starts (see run-runbook.ts). */
  trajectoryId: string;
  /** The attempt a crash interrupted started this run (or was about to): adopt it rather than start another. */
  adopt: boolean;
}

/** A file a step wrote as an output: its storage path (`GET /api/v1/file/{path}`), extension, type and size. */
export interface StepFile {
  path: string;
  extension: string;
  content_type: string;
  size: number;
}

/** A file a step read: its storage path, file name, type and bytes. */
export interface RunFile {
  path: string;
  name: string;
  content_type: string;
  bytes: Buffer;
}

export interface StepContext {
  workflowId: string;
  step: string;
  attempt: number;
  /** Aborted on cancel or when the step's timeout passes. */
  signal: AbortSignal;
  /** `<workflow id>:<step>:<attempt>`, sent with each model call. */
  idempotencyKey: string;
  models: ModelClient;
  /** The run's uploaded files (storage paths), in upload order. */
  files: readonly string[];
  /** Reads a path expression in the run's scope (for parameters that hold paths as plain strings), counted in the step's input bound. */
  resolve(expression: string): unknown;
  /** A fresh count against the step's output bound, for templates that build their output piece by piece. */
  outputBudget(): Budget;
  fanOut(request: FanOut): Promise<ChildOutcome[]>;
  /** A stored trajectory's init params and steps, or null. */
  trajectory(id: string): { init_params: Record<string, unknown>; steps: Record<string, { inputs: Record<string, unknown>; outputs: Record<string, unknown> }> } | null;
  runRunbook(request: RunbookStepRequest): Promise<Record<string, unknown>>;
  /** Stores bytes as one of the step's output files (`name` without extension; the type picks it, or the bytes when null). */
  saveFile(name: string, bytes: Uint8Array, contentType: string | null): Promise<StepFile>;
  /**
   * A file of this run by storage path — an upload, a stored output of its workflow tree —
   * read through the one check every file-reading step uses (run-files.ts); null when the
   * reference names no such file (a host path, another run's file). Over the size bound: throws.
   */
  readFile(reference: string): Promise<RunFile | null>;
  /** Downloads a provider's output URL (public https only, unless the engine trusts the origin; `data:` decoded). */
  download(url: string): Promise<Download>;
  /** Commits what this attempt has set going outside (an id to find it by) before waiting on it. */
  checkpoint(values: Record<string, unknown>): void;
  /** What the attempt a crash interrupted had checkpointed (this attempt carries its idempotency key), or null. */
  interrupted: Record<string, unknown> | null;
}

export interface StepTemplate {
  activity_name: string;
  category: 'text' | 'file' | 'llm' | 'evaluation' | 'control' | 'runbook';
  description: string;
  parameters: ParameterSpec[];
  outputs: string[];
  /** Pure and quick (no I/O): journaled once, when it ends, and not retried. */
  instant?: boolean;
  /** A control step naming the steps it may jump to (linted like paths). */
  targets?: (config: Record<string, unknown>) => { key: string; step: unknown }[];
  /** Default timeout of one attempt. */
  timeoutMs?: number;
  run(inputs: Record<string, unknown>, ctx: StepContext): Promise<StepResult> | StepResult;
}

/**
 * Why a step's signal aborts when the engine closes: the run is left to resume at the next
 * start, so what the step set going outside (a prediction, a child run) is left running too.
 */
export const SHUTDOWN_REASON = 'engine shutting down';

/** A step failure that retrying cannot fix (bad input, a 4xx from a provider). */
export class PermanentStepError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'PermanentStepError';
  }
}

/** A step failure worth another attempt, maybe after the delay the provider asked for. */
export class RetryableStepError extends Error {
  constructor(
    message: string,
    readonly retryAfterMs: number | null = null,
  ) {
    super(message);
    this.name = 'RetryableStepError';
  }
}
