import type { WorkflowRunRecord } from '../store';
import type { ModelClient } from './model-client';
import { resolvePath, type PathScope } from './paths';
import { saveStepFile, storedFile } from './step-files';
import type { ChildOutcome, FanOut, RunbookStepRequest, StepContext, StepFile } from './templates/types';

/** What the runtime lends every attempt, made once per runtime. */
export interface AttemptServices {
  models: ModelClient;
  fanOut(run: WorkflowRunRecord, step: string, request: FanOut, signal: AbortSignal): Promise<ChildOutcome[]>;
  trajectory: StepContext['trajectory'];
  runRunbook(request: RunbookStepRequest, signal: AbortSignal): Promise<Record<string, unknown>>;
  /** Where step output files are written (the files root `GET /api/v1/file/{path}` serves). */
  filesRoot: string;
  checkpoint(run: WorkflowRunRecord, step: string, values: Record<string, unknown>): void;
  storeOutputFile(collection: string, relativePath: string): Promise<unknown>;
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
  readonly interrupted: Record<string, unknown> | null;
  readonly #services: AttemptServices;
  readonly #run: WorkflowRunRecord;
  readonly #scope: PathScope;

  constructor(services: AttemptServices, run: WorkflowRunRecord, scope: PathScope, attempt: { step: string; attempt: number; idempotencyKey: string; signal: AbortSignal; interrupted: Record<string, unknown> | null }) {
    this.workflowId = run.id;
    this.files = run.files;
    this.models = services.models;
    this.step = attempt.step;
    this.attempt = attempt.attempt;
    this.idempotencyKey = attempt.idempotencyKey;
    this.signal = attempt.signal;
    this.interrupted = attempt.interrupted;
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

  async saveFile(name: string, bytes: Uint8Array, contentType: string | null): Promise<StepFile> {
    const file = await saveStepFile(this.#services.filesRoot, { collection: this.#run.collection, workflowId: this.workflowId, step: this.step }, name, bytes, contentType);
    await this.#services.storeOutputFile(this.#run.collection, file.path);
    return file;
  }

  storedFile(relative: string): Promise<string | null> {
    return storedFile(this.#services.filesRoot, relative);
  }

  checkpoint(values: Record<string, unknown>): void {
    this.#services.checkpoint(this.#run, this.step, values);
  }
}
