/**
 * A run's evaluation apart from its status: "completed" says the run ended; the verdict says
 * whether its outputs passed. One wording for the CLI, REST, chat mode and the renderer.
 */
import { z } from 'zod';
import type { Evaluation } from './trajectory';

/**
 * `passed`, `failed` (the report said so, or a required output file is missing), or `none`
 * (no validation_report.json, or a report without a verdict). The store's
 * `trajectories.evaluation_verdict` column (migration 10) computes the same in SQL.
 */
export const EvaluationVerdictSchema = z.enum(['passed', 'failed', 'none']);
export type EvaluationVerdict = z.infer<typeof EvaluationVerdictSchema>;

/** List orders: newest first (the default), or by verdict — failed (then none, then passed) first, or passed first — newest first within each. */
export const TrajectorySortSchema = z.enum(['newest', 'failed_first', 'passed_first']);
export type TrajectorySort = z.infer<typeof TrajectorySortSchema>;

type Verdictable = Pick<Evaluation, 'overall_passed' | 'missing_outputs'>;

export type StageOutcome = 'pass' | 'partial' | 'fail';
export interface ReportStage {
  name: string;
  outcome: StageOutcome;
  message: string | null;
}

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** One stage of a validation report: passed (true/false) or a PASS/PARTIAL/FAIL status; anything else failed. */
export function stageOutcome(stage: Record<string, unknown>): StageOutcome {
  const status = String(stage.status ?? stage.result ?? '').toLowerCase();
  if (status === 'partial') return 'partial';
  return stage.passed === true || status === 'pass' || status === 'passed' ? 'pass' : 'fail';
}

/** The report's stages, in order, at most `max` (a report is the run's own file: any shape). */
export function reportStages(report: unknown, max = 100): ReportStage[] {
  if (!isRecord(report) || !Array.isArray(report.stages)) return [];
  return report.stages
    .filter(isRecord)
    .slice(0, max)
    .map((stage, i) => ({
      name: typeof stage.name === 'string' && stage.name ? stage.name : `stage ${i + 1}`,
      outcome: stageOutcome(stage),
      message: typeof stage.message === 'string' && stage.message ? stage.message : null,
    }));
}

export function evaluationVerdict(e: Verdictable | null | undefined): EvaluationVerdict {
  if (!e) return 'none';
  if ((e.missing_outputs?.length ?? 0) > 0 || e.overall_passed === false) return 'failed';
  return e.overall_passed === true ? 'passed' : 'none';
}

const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;
const checks = (e: Evaluation) => e.pass + e.partial + e.fail;

/** The verdict as a word: "passed", "failed", "no evaluation" (no report), "no verdict" (a report that gives none). */
export function verdictLabel(e: Evaluation | null | undefined): string {
  const verdict = evaluationVerdict(e);
  return verdict !== 'none' ? verdict : e ? 'no verdict' : 'no evaluation';
}

/** What made it fail, shortest first: "2 fail", "1 partial", "1 missing output" (only the non-zero ones). */
export function failingParts(e: Evaluation | null | undefined): string[] {
  if (!e) return [];
  const parts = [e.fail > 0 ? `${e.fail} fail` : '', e.partial > 0 ? `${e.partial} partial` : ''];
  const missing = e.missing_outputs?.length ?? 0;
  if (missing > 0) parts.push(plural(missing, 'missing output'));
  return parts.filter(Boolean);
}

/** What follows the verdict word: what failed (`failingParts`), or the passed checks ("3/3"). */
export function evaluationDetail(e: Evaluation | null | undefined): string[] {
  if (!e) return [];
  if (evaluationVerdict(e) === 'failed') return failingParts(e);
  return evaluationVerdict(e) === 'passed' && checks(e) > 0 ? [`${e.pass}/${checks(e)}`] : [];
}

/** One short cell: "passed 3/3", "failed: 2 fail, 1 missing output", "no evaluation". */
export function evaluationBrief(e: Evaluation | null | undefined): string {
  const detail = evaluationDetail(e);
  if (detail.length === 0) return verdictLabel(e);
  return evaluationVerdict(e) === 'failed' ? `${verdictLabel(e)}: ${detail.join(', ')}` : `${verdictLabel(e)} ${detail.join(' ')}`;
}

/** The whole line: verdict, every count, the missing files by name. */
export function evaluationLine(e: Evaluation | null | undefined): string {
  if (!e) return 'no evaluation (no validation_report.json)';
  const missing = e.missing_outputs ?? [];
  const details = [
    checks(e) > 0 ? `${e.pass} pass, ${e.partial} partial, ${e.fail} fail` : '',
    missing.length > 0 ? `missing required ${missing.length === 1 ? 'output' : 'outputs'}: ${missing.join(', ')}` : '',
  ].filter(Boolean);
  return details.length > 0 ? `${verdictLabel(e)} (${details.join('; ')})` : verdictLabel(e);
}
