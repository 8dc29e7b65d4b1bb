import { createHash } from 'node:crypto';
import os from 'node:os';
import path from 'node:path';
import { EVALUATION_LIMITS, type EvaluationCase, type EvaluationCell, type EvaluationRequestSchema } from '../../../shared/evaluations';
import type { z } from 'zod';
import { analyzeRunbookFile } from '../runbook';
import { readTextFile } from '../runbook/read-file';
import { runCollection, runTask } from '../runs/prepare';
import type { NewEvaluation, TrialSlot } from '../store';

/** A request the evaluation cannot start from, with the reason (shown as it is). */
export class EvaluationRequestError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'EvaluationRequestError';
  }
}

type Request = z.output<typeof EvaluationRequestSchema>;

const GIB = 1024 ** 3;

/**
 * Trials at once on this machine by default: two per core (a trial mostly waits on its
 * model; its sandbox starts on a core), at most one per 2 GiB of memory (a sandbox may use
 * up to its 4 GiB limit, most use far less), at most 16, at least 1.
 */
export function defaultLocalConcurrency(cores = os.availableParallelism(), memoryBytes = os.totalmem()): number {
  return Math.max(1, Math.min(2 * cores, Math.floor(memoryBytes / (2 * GIB)), 16));
}

/** Trials at once on a remote Jetty by default. */
export const DEFAULT_REMOTE_CONCURRENCY = 4;

/** sha256 of the runbook's text: what an evaluation evaluates. */
export const contentHash = (text: string): string => createHash('sha256').update(text).digest('hex');

/** The runbook's text and its hash now. */
export async function runbookDigest(file: string): Promise<{ text: string; hash: string }> {
  const text = await readTextFile(file);
  return { text, hash: contentHash(text) };
}

/** "agent / model", the run's defaults named as such. */
export const cellLabel = (cell: Pick<EvaluationCell, 'agent' | 'model' | 'executor'>): string =>
  `${cell.agent ?? 'default agent'} / ${cell.model ?? 'default model'}${cell.executor === 'remote' ? ' (remote)' : ''}`;

/** The cases of a request: its list, the manifest's examples with values, or one case of its parameters. */
function casesOf(request: Request, examples: { id: string; title: string; values: Record<string, string> }[]): EvaluationCase[] {
  if (request.cases === 'examples') {
    const usable = examples.filter((e) => Object.keys(e.values).length > 0).slice(0, EVALUATION_LIMITS.cases);
    if (usable.length === 0) throw new EvaluationRequestError("the runbook's manifest.json has no example inputs with values to use as cases");
    return usable.map((e) => ({ name: e.title || e.id, params: { ...request.params, ...e.values } }));
  }
  if (request.cases) return request.cases.map((c) => ({ name: c.name, params: { ...request.params, ...c.params } }));
  return [{ name: 'default', params: request.params ?? {} }];
}

/**
 * The trials of a plan in the order they start: trial 1 of every cell and case first, so
 * the grid fills evenly and every cell has figures early.
 */
export function planSlots(cells: readonly EvaluationCell[], cases: number, trials: number): TrialSlot[] {
  const slots: TrialSlot[] = [];
  for (let trial = 1; trial <= trials; trial++) {
    for (let c = 0; c < cases; c++) {
      for (const [index, cell] of cells.entries()) slots.push({ cell: index, case: c, trial, rerun_of: null, executor: cell.executor });
    }
  }
  return slots;
}

/** An evaluation as it will be stored, with its plan: the runbook read and hashed now, the cases resolved, the concurrency defaulted. */
export async function defineEvaluation(request: Request, owner: string): Promise<{ evaluation: NewEvaluation; slots: TrialSlot[] }> {
  const file = path.resolve(request.runbookPath);
  let digest;
  try {
    digest = await runbookDigest(file);
  } catch (error) {
    throw new EvaluationRequestError(`cannot read the runbook: ${(error as Error).message}`);
  }
  const analysis = await analyzeRunbookFile(file, digest.text);
  const cases = casesOf(request, analysis.examples ?? []);
  const total = request.cells.length * cases.length * request.trials;
  if (total > EVALUATION_LIMITS.totalTrials) {
    throw new EvaluationRequestError(`${request.cells.length} cells × ${cases.length} cases × ${request.trials} trials is ${total} trials, over the bound of ${EVALUATION_LIMITS.totalTrials}: ask for fewer`);
  }
  const version = analysis.frontmatter.version;
  const task = runTask({ runbookPath: file });
  return {
    evaluation: {
      name: request.name ?? `${task} ×${request.trials}`,
      runbook_path: file,
      collection: runCollection({ runbookPath: file }),
      task,
      content_hash: digest.hash,
      version: version === undefined || version === null ? null : String(version),
      cells: request.cells,
      cases,
      trials: request.trials,
      concurrency: { local: request.concurrency?.local ?? defaultLocalConcurrency(), remote: request.concurrency?.remote ?? DEFAULT_REMOTE_CONCURRENCY },
      timeout_seconds: request.timeoutSeconds ?? null,
      owner,
    },
    slots: planSlots(request.cells, cases.length, request.trials),
  };
}
