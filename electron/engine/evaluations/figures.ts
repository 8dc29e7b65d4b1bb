import { cellFigures, movement, percentile, SCORING_RULE, type TrialFigures } from '../../../shared/evaluation-stats';
import type { CellReport, Evaluation, EvaluationComparison, EvaluationReport, EvaluationSummary, EvaluationTrial, RunTrendPoint } from '../../../shared/evaluations';
import type { EvaluationRecord, Evaluations } from '../store';
import { cellLabel } from './definition';

/** The stored evaluation as the contract shows it (no owner). */
const view = ({ owner: _owner, ...record }: EvaluationRecord): Evaluation => record;

const figuresOf = (t: EvaluationTrial): TrialFigures => ({ ...t, outcome: t.outcome ?? 'cancelled' });

/** Each cell's figures from its ended trials, with what the cell is. */
export function cellReports(record: EvaluationRecord, trials: readonly EvaluationTrial[]): CellReport[] {
  return record.cells.map((cell, index) => {
    const own = trials.filter((t) => t.cell === index);
    const ended = own.filter((t) => t.state === 'ended').map(figuresOf);
    const pendingReruns = own.filter((t) => t.state !== 'ended' && t.rerun_of !== null).length;
    return { cell: index, label: cellLabel(cell), agent: cell.agent, model: cell.model, executor: cell.executor, ...cellFigures(ended, pendingReruns) };
  });
}

/** An evaluation with its trials, the figures per cell and its progress. */
export function evaluationReport(evaluations: Evaluations, id: string): EvaluationReport {
  const record = evaluations.require(id);
  const trials = evaluations.trials(id);
  const count = (state: EvaluationTrial['state']) => trials.filter((t) => t.state === state).length;
  return {
    evaluation: view(record),
    cells: cellReports(record, trials),
    trials,
    progress: { total: trials.length, ended: count('ended'), running: count('running'), pending: count('pending') },
    rule: SCORING_RULE,
  };
}

/** An evaluation with its totals over every cell (the evaluation's own trials; re-runs apart). */
export function evaluationSummary(record: EvaluationRecord, trials: readonly EvaluationTrial[]): EvaluationSummary {
  const own = trials.filter((t) => t.rerun_of === null);
  const ended = own.filter((t) => t.state === 'ended');
  const scored = ended.filter((t) => t.outcome === 'passed' || t.outcome === 'failed');
  return {
    ...view(record),
    total: own.length,
    ended: ended.length,
    scored: scored.length,
    passed: scored.filter((t) => t.outcome === 'passed').length,
    errors: ended.filter((t) => t.outcome === 'error').length,
    cost_usd: trials.reduce((sum, t) => sum + t.cost_usd, 0),
    duration_p50_ms: percentile(ended.flatMap((t) => (t.duration_ms === null ? [] : [t.duration_ms])), 50),
  };
}

export function listSummaries(evaluations: Evaluations, filter: { collection?: string; task?: string; limit: number }): EvaluationSummary[] {
  return evaluations.list(filter).map((record) => evaluationSummary(record, evaluations.trials(record.id)));
}

const rate = (c: { passed: number; trials: number } | null) => (c ? { c: c.passed, n: c.trials } : null);

/**
 * Two evaluations side by side (`left` the earlier, `right` the later, as the caller picks):
 * cells matched by agent, model and executor, each with its move marked — improved or
 * regressed only beyond the noise of the two pass rates' intervals — and the same per stage.
 */
export function compareEvaluations(evaluations: Evaluations, leftId: string, rightId: string): EvaluationComparison {
  const left = evaluationReport(evaluations, leftId);
  const right = evaluationReport(evaluations, rightId);
  const labels = [...new Set([...left.cells, ...right.cells].map((c) => c.label))];
  const cells = labels.map((label) => {
    const l = left.cells.find((c) => c.label === label) ?? null;
    const r = right.cells.find((c) => c.label === label) ?? null;
    const names = [...new Set([...(l?.stages ?? []), ...(r?.stages ?? [])].map((s) => s.name))];
    const stages = names.map((name) => {
      const ls = l?.stages.find((s) => s.name === name) ?? null;
      const rs = r?.stages.find((s) => s.name === name) ?? null;
      const pick = (s: typeof ls) => (s ? { passed: s.passed, ran: s.ran } : null);
      return { name, left: pick(ls), right: pick(rs), movement: movement(ls && { c: ls.passed, n: ls.ran }, rs && { c: rs.passed, n: rs.ran }) };
    });
    return { label, left: l, right: r, movement: movement(rate(l), rate(r)), stages };
  });
  const summary = (report: EvaluationReport) => evaluationSummary(evaluations.require(report.evaluation.id), report.trials);
  return { left: summary(left), right: summary(right), cells };
}

/** A runbook over time: its evaluations (newest first) and its runs per day since `days` ago (every run, trials included, a suggested edit's trials not). */
export function runbookDashboard(evaluations: Evaluations, collection: string, task: string, days: number, now = Date.now()): { evaluations: EvaluationSummary[]; runs: RunTrendPoint[] } {
  const since = new Date(now - days * 86_400_000).toISOString();
  const byDay = new Map<string, { runs: number; passed: number; failed: number; cost: number; durations: number[] }>();
  for (const run of evaluations.taskRuns(collection, task, since, 50_000)) {
    const day = run.created_at.slice(0, 10);
    let point = byDay.get(day);
    if (!point) byDay.set(day, (point = { runs: 0, passed: 0, failed: 0, cost: 0, durations: [] }));
    point.runs++;
    if (run.verdict === 'passed') point.passed++;
    else if (run.verdict === 'failed' || run.status === 'failed') point.failed++;
    point.cost += run.cost_usd;
    if (run.duration_ms !== null) point.durations.push(run.duration_ms);
  }
  return {
    evaluations: listSummaries(evaluations, { collection, task, limit: 200 }),
    runs: [...byDay.entries()].map(([day, p]) => ({ day, runs: p.runs, passed: p.passed, failed: p.failed, cost_usd: p.cost, duration_p50_ms: percentile(p.durations, 50) })),
  };
}
