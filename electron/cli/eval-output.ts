import { percent } from '../../shared/evaluation-stats';
import type { SuggestionSet } from '../../shared/evaluation-suggestions';
import type { CellReport, EvaluationReport, EvaluationTrial } from '../../shared/evaluations';

/** What CI gates on: every trial passed (the default), or each cell's pass rate at least `minPassRate`. */
export interface Gate {
  minPassRate: number | null;
}

/** Whether the gate holds, and why not (one reason per cell that misses it). */
export function gateVerdict(report: EvaluationReport, gate: Gate): { holds: boolean; reasons: string[] } {
  const reasons: string[] = [];
  if (report.evaluation.status !== 'completed') reasons.push(`the evaluation ${report.evaluation.status}${report.evaluation.error ? `: ${report.evaluation.error}` : ''}`);
  for (const cell of report.cells) {
    if (gate.minPassRate === null) {
      const notPassed = cell.failed + cell.errors + cell.cancelled;
      if (notPassed > 0) reasons.push(`${cell.label}: ${notPassed} of ${cell.trials + cell.errors + cell.cancelled} trials did not pass (every trial must)`);
    } else if (cell.pass_rate === null) {
      reasons.push(`${cell.label}: no trial reached a verdict (${cell.errors} infrastructure errors)`);
    } else if (cell.pass_rate < gate.minPassRate) {
      reasons.push(`${cell.label}: pass rate ${percent(cell.pass_rate)} is under ${percent(gate.minPassRate)}`);
    }
  }
  return { holds: reasons.length === 0, reasons };
}

/** A cell's figures as `--json` gives them. */
export const cellJson = (c: CellReport) => ({
  agent: c.agent,
  model: c.model,
  executor: c.executor,
  trials: c.trials,
  passed: c.passed,
  failed: c.failed,
  errors: c.errors,
  pass_rate: c.pass_rate,
  pass_rate_interval: c.interval,
  pass_at_k: c.pass_at_k,
  pass_hat_k: c.pass_hat_k,
  cost_usd: c.cost_usd,
  tokens: c.tokens,
  duration_ms: c.duration_ms,
  stages: c.stages,
  flaky_stage: c.flaky_stage,
  errors_by_kind: c.errors_by_kind,
  reruns: c.reruns,
});

const pad = (text: string, width: number) => (text.length >= width ? text : text + ' '.repeat(width - text.length));
const seconds = (ms: number | null) => (ms === null ? '—' : `${(ms / 1000).toFixed(1)}s`);

/** The live table: one line per cell, with what has ended of its trials. */
export function tableLines(report: EvaluationReport): string[] {
  const rows = report.cells.map((c) => {
    const own = report.trials.filter((t) => t.cell === c.cell && t.rerun_of === null);
    const ended = own.filter((t) => t.state === 'ended').length;
    const running = own.filter((t) => t.state === 'running').length;
    const marks = own.map((t) => (t.state !== 'ended' ? (t.state === 'running' ? '·' : ' ') : t.outcome === 'passed' ? '✓' : t.outcome === 'failed' ? '✕' : t.outcome === 'error' ? '!' : '-')).join('');
    const atK = Object.keys(c.pass_at_k).length;
    return [
      c.label,
      `${ended}/${own.length}${running ? ` (${running} running)` : ''}`,
      String(c.passed),
      String(c.failed),
      String(c.errors),
      c.pass_rate === null ? '—' : `${percent(c.pass_rate)} [${percent(c.interval?.low)}–${percent(c.interval?.high)}]`,
      atK > 1 ? `${percent(c.pass_at_k[atK])} / ${percent(c.pass_hat_k[atK])}` : '—',
      c.flaky_stage ?? '—',
      seconds(c.duration_ms.p50),
      `$${c.cost_usd.toFixed(4)}`,
      marks,
    ];
  });
  const k = Math.max(1, ...report.cells.map((c) => Object.keys(c.pass_at_k).length));
  const head = ['CELL', 'TRIALS', 'PASSED', 'FAILED', 'ERRORS', 'PASS RATE [95%]', `PASS@${k} / ^${k}`, 'FLAKY STAGE', 'P50', 'COST', ''];
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  return [head, ...rows].map((r) => r.map((cell, i) => pad(cell, widths[i])).join('  ').trimEnd());
}

/** One plain line for a trial that ended (no terminal: a log CI keeps). */
export function trialLine(report: EvaluationReport, t: EvaluationTrial): string {
  const cell = report.cells[t.cell];
  const kase = report.evaluation.cases.length > 1 ? ` ${report.evaluation.cases[t.case]?.name}` : '';
  const what = t.outcome === 'passed' ? 'passed' : `${t.outcome}${t.error_kind ? ` (${t.error_kind})` : ''}${t.error ? `: ${t.error}` : ''}`;
  const rerun = t.rerun_of === null ? '' : ` (re-run of ${t.rerun_of})`;
  return `trial ${t.trial}${rerun}${kase} of ${cell.label}: ${what} in ${seconds(t.duration_ms)}${t.trajectory_id ? ` [${t.trajectory_id}]` : ''}`;
}

const MOVES = { up: '▲', down: '▼', same: '=' } as const;

/** A suggestion set as `--suggest` prints it: each evaluated edit with its before → after pass^k per cell, then the dropped ones with why. */
export function suggestionLines(set: SuggestionSet): string[] {
  if (set.state === 'failed') return [`Suggesting fixes failed: ${set.error}`];
  const lines = [`Suggested fixes (${set.id}, ${set.model}):`];
  const offered = set.suggestions.filter((s) => s.state !== 'dropped');
  if (offered.length === 0) lines.push('  none could be evaluated');
  for (const s of offered) {
    lines.push(`  ${s.number}. [${s.lens}] ${s.title}: ${s.state === 'evaluated' ? s.verdict : `not evaluated (${s.reason})`}`);
    for (const c of s.cells) lines.push(`     ${c.label}: pass^${c.k} ${percent(c.before.pass_hat_k)} → ${percent(c.after.pass_hat_k)} ${MOVES[c.movement]} (passed ${c.before.passed}/${c.before.trials} → ${c.after.passed}/${c.after.trials})`);
    lines.push(`     evidence: ${s.evidence.map((e) => `${e.trajectory_id}#${e.step}`).join(', ')}`);
  }
  for (const s of set.suggestions.filter((d) => d.state === 'dropped')) lines.push(`  dropped: ${s.title || 'untitled'}: ${s.reason}`);
  return lines;
}
