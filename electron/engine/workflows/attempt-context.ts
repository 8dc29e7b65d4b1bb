import type { WorkflowRunRecord } from '../store';
import { Budget } from './bounds';
import type { WorkflowLimits } from './limits';
import type { ModelClient } from './model-client';
import { resolvePath, type PathScope } from './paths';
import { downloadFile, type Download, type DownloadPolicy } from './provider-download';
import { readRunFile, uploadStoragePath, type RunFileAccess } from './run-files';
import { saveStepFile } from './step-files';
import type { ChildOutcome, FanOut, RunbookStepRequest, RunFile, StepContext, StepFile } from './templates/types';

/** What the runtime lends every attempt, made once per runtime. */
export interface AttemptServices {
  models: ModelClient;
  fanOut(run: WorkflowRunRecord, step: string, request: FanOut, signal: AbortSignal): Promise<ChildOutcome[]>;
  trajectory: StepContext['trajectory'];
  runRunbook(request: RunbookStepRequest, signal: AbortSignal): Promise<Record<string, unknown>>;
  /** Where step output files are written (the files root `GET /api/v1/file/{path}` serves) and what a step may read of them. */
  files: RunFileAccess;
  downloads: DownloadPolicy;
  limits: Readonly<WorkflowLimits>;
  checkpoint(run: WorkflowRunRecord, step: string, values: Record<string, unknown>): void;
  storeOutputFile(collection: string, relativePath: string): Promise<unknown>;
}

/** One attempt of a step: its name, number, key, signal, what its interrupted predecessor checkpointed, and its input count. */
export interface Attempt {
  step: string;
  attempt: number;
  idempotencyKey: string;
  signal: AbortSignal;
  interrupted: Record<string, unknown> | null;
  /** The count its resolved inputs started; what `resolve` reads adds to it. */
  inputs: Budget;
}

/**
 * The StepContext of one step attempt. Its methods sit on the prototype, so an attempt
 * costs one object rather than an object and a closure per method (a long workflow makes
 * one per step).
 */
export class AttemptContext implements StepContext {
  readonly workflowId: string;
  readonly models: ModelClient;
  readonly step: string;
  readonly attempt: number;
  readonly idempotencyKey: string;
  readonly signal: AbortSignal;
  readonly interrupted: Record<string, unknown> | null;
  readonly #services: AttemptServices;
  readonly #run: WorkflowRunRecord;
  readonly #scope: PathScope;
  readonly #inputs: Budget;

  constructor(services: AttemptServices, run: WorkflowRunRecord, scope: PathScope, attempt: Attempt) {
    this.workflowId = run.id;
    this.models = services.models;
    this.step = attempt.step;
    this.attempt = attempt.attempt;
    this.idempotencyKey = attempt.idempotencyKey;
    this.signal = attempt.signal;
    this.interrupted = attempt.interrupted;
    this.#services = services;
    this.#run = run;
    this.#scope = scope;
    this.#inputs = attempt.inputs;
  }

  get files(): readonly string[] {
    return this.#run.files.map((file) => uploadStoragePath(this.#services.files.filesRoot, file));
  }

  resolve(expression: string): unknown {
    const value = resolvePath(expression, this.#scope);
    this.#inputs.measure(value, expression);
    return value;
  }

  outputBudget(): Budget {
    const { stepOutputChars, templateExpansions } = this.#services.limits;
    return new Budget('its outputs', stepOutputChars, templateExpansions);
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
    const file = await saveStepFile(this.#services.files.filesRoot, { collection: this.#run.collection, workflowId: this.workflowId, step: this.step }, name, bytes, contentType);
    await this.#services.storeOutputFile(this.#run.collection, file.path);
    return file;
  }

  readFile(reference: string): Promise<RunFile | null> {
    return readRunFile(this.#services.files, this.#run, reference);
  }

  download(url: string): Promise<Download> {
    return downloadFile(url, this.signal, this.#services.downloads);
  }

  checkpoint(values: Record<string, unknown>): void {
    this.#services.checkpoint(this.#run, this.step, values);
  }
}
