import type { WorkflowRunRecord } from '../store';
import type { ModelClient } from './model-client';
import { resolvePath, type PathScope } from './paths';
import type { ChildOutcome, FanOut, RunbookStepRequest, StepContext } from './templates/types';

/** What the runtime lends every attempt, made once per runtime. */
export interface AttemptServices {
  models: ModelClient;
  fanOut(run: WorkflowRunRecord, step: string, request: FanOut, signal: AbortSignal): Promise<ChildOutcome[]>;
  trajectory: StepContext['trajectory'];
  runRunbook(request: RunbookStepRequest, signal: AbortSignal): Promise<Record<string, unknown>>;
}

/**
 * The StepContext of one step attempt. Its methods sit on the prototype, so an attempt
 * costs one object rather than an object and a closure per method (a long workflow makes
 * one per step).
 */
export class AttemptContext implements StepContext {
  readonly workflowId: string;
  readonly files: readonly string[];
  readonly models: ModelClient;
  readonly step: string;
  readonly attempt: number;
  readonly idempotencyKey: string;
  readonly signal: AbortSignal;
  readonly #services: AttemptServices;
  readonly #run: WorkflowRunRecord;
  readonly #scope: PathScope;

  constructor(services: AttemptServices, run: WorkflowRunRecord, scope: PathScope, attempt: { step: string; attempt: number; idempotencyKey: string; signal: AbortSignal }) {
    this.workflowId = run.id;
    this.files = run.files;
    this.models = services.models;
    this.step = attempt.step;
    this.attempt = attempt.attempt;
    this.idempotencyKey = attempt.idempotencyKey;
    this.signal = attempt.signal;
    this.#services = services;
    this.#run = run;
    this.#scope = scope;
  }

  resolve(expression: string): unknown {
    return resolvePath(expression, this.#scope);
  }

  fanOut(request: FanOut): Promise<ChildOutcome[]> {
    return this.#services.fanOut(this.#run, this.step, request, this.signal);
  }

  trajectory(id: string): ReturnType<StepContext['trajectory']> {
    return this.#services.trajectory(id);
  }

  runRunbook(request: RunbookStepRequest): Promise<Record<string, unknown>> {
    return this.#services.runRunbook(request, this.signal);
  }
}
