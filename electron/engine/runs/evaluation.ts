import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { stageOutcome } from '../../../shared/evaluation';
import type { Evaluation } from '../../../shared/trajectory';

const MAX_REPORT_BYTES = 5 * 1024 * 1024;

type Counts = Pick<Evaluation, 'pass' | 'partial' | 'fail'>;
const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const int = (v: unknown) => (typeof v === 'number' && Number.isFinite(v) ? Math.max(0, Math.trunc(v)) : null);

/** Counts from `results`: either {pass, partial, fail} or {checks_total, checks_passed}. */
function countsFromResults(results: unknown): Counts | null {
  if (!isRecord(results)) return null;
  const pass = int(results.pass);
  const fail = int(results.fail);
  if (pass !== null || fail !== null) return { pass: pass ?? 0, partial: int(results.partial) ?? 0, fail: fail ?? 0 };
  const total = int(results.checks_total);
  const passed = int(results.checks_passed);
  if (total !== null && passed !== null) return { pass: passed, partial: 0, fail: Math.max(0, total - passed) };
  return null;
}

/** Counts from `stages`: each stage passed (true/false) or with a PASS/PARTIAL/FAIL status. */
function countsFromStages(stages: unknown): Counts | null {
  if (!Array.isArray(stages) || stages.length === 0) return null;
  const counts = { pass: 0, partial: 0, fail: 0 };
  for (const stage of stages) if (isRecord(stage)) counts[stageOutcome(stage)]++;
  return counts;
}

/**
 * The evaluation of a run from its `validation_report.json`: `overall_passed` as written
 * (or, when absent, derived from the counts) and pass/partial/fail counts from `results`
 * or else from `stages`.
 */
export function evaluationFromReport(report: unknown): Evaluation {
  if (!isRecord(report)) return { overall_passed: false, pass: 0, partial: 0, fail: 1, report };
  const counts = countsFromResults(report.results) ?? countsFromStages(report.stages) ?? { pass: 0, partial: 0, fail: 0 };
  const stated = typeof report.overall_passed === 'boolean' ? report.overall_passed : null;
  const seen = counts.pass + counts.partial + counts.fail > 0;
  const derived = seen ? counts.fail === 0 && counts.partial === 0 : null;
  return { overall_passed: stated ?? derived, ...counts, report };
}

/** Reads `validation_report.json` from a run's results folder; null when the run wrote none. */
export async function readEvaluation(resultsDir: string): Promise<Evaluation | null> {
  const file = path.join(resultsDir, 'validation_report.json');
  let text: string;
  try {
    const buf = await readFile(file);
    if (buf.byteLength > MAX_REPORT_BYTES) {
      return { overall_passed: false, pass: 0, partial: 0, fail: 1, report: { error: 'validation_report.json is larger than 5 MB' } };
    }
    text = buf.toString('utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw err;
  }
  try {
    return evaluationFromReport(JSON.parse(text));
  } catch (err) {
    return {
      overall_passed: false,
      pass: 0,
      partial: 0,
      fail: 1,
      report: { error: `validation_report.json is not valid JSON: ${(err as Error).message}` },
    };
  }
}

/**
 * The run's evaluation once its output contract is checked: a required output file the run
 * left out fails it, whatever its report says (the report stays as written); a run with no
 * report but missing files has a failed evaluation of those files alone.
 */
export function withMissingOutputs(evaluation: Evaluation | null, missing: readonly string[]): Evaluation | null {
  if (missing.length === 0) return evaluation;
  return { ...(evaluation ?? { pass: 0, partial: 0, fail: 0 }), overall_passed: false, missing_outputs: [...missing] };
}
