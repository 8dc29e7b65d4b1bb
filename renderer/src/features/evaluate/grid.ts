import type { EvaluationReport, EvaluationTrial } from '../../../../shared/evaluations';
import type { Movement } from '../../../../shared/evaluation-stats';

/** What a square of the grid shows: a trial's state, or its outcome once it ended. */
export type SquareState = 'pending' | 'running' | 'passed' | 'failed' | 'error' | 'cancelled';

export interface Square {
  key: string;
  trial: EvaluationTrial;
  state: SquareState;
  /** Said aloud and shown on hover: "trial 2: failed (verdict) — line_count: fail". */
  label: string;
}

export const squareState = (t: EvaluationTrial): SquareState => (t.state === 'ended' ? (t.outcome ?? 'cancelled') : t.state);

/** The mark of a state, so a square is never told by colour alone. */
export const SQUARE_MARKS: Record<SquareState, string> = { pending: '', running: '…', passed: '✓', failed: '✕', error: '!', cancelled: '–' };

/**
 * The grid of an evaluation: a row per cell, a square per trial in the order the columns
 * read (case, then trial; the evaluation's own trials, then re-runs), filling as trials end.
 */
export function gridRows(report: EvaluationReport): { cell: number; label: string; squares: Square[]; reruns: Square[] }[] {
  const many = report.evaluation.cases.length > 1;
  const square = (t: EvaluationTrial): Square => {
    const state = squareState(t);
    const kase = many ? `${report.evaluation.cases[t.case]?.name ?? `case ${t.case + 1}`}, ` : '';
    const rerun = t.rerun_of === null ? '' : ` (re-run of ${t.rerun_of})`;
    const why = t.outcome && t.outcome !== 'passed' && t.error ? ` — ${t.error}` : '';
    return { key: `${t.case}/${t.trial}`, trial: t, state, label: `${kase}trial ${t.trial}${rerun}: ${state}${t.error_kind && state !== 'passed' ? ` (${t.error_kind})` : ''}${why}` };
  };
  const order = (a: EvaluationTrial, b: EvaluationTrial) => a.case - b.case || a.trial - b.trial;
  return report.cells.map((cell) => {
    const own = report.trials.filter((t) => t.cell === cell.cell).sort(order);
    return { cell: cell.cell, label: cell.label, squares: own.filter((t) => t.rerun_of === null).map(square), reruns: own.filter((t) => t.rerun_of !== null).map(square) };
  });
}

/** How a move between two evaluations reads: a mark and words (never colour alone). */
export const MOVEMENT_TEXT: Record<Movement, { mark: string; words: string }> = {
  improved: { mark: '▲', words: 'improved' },
  regressed: { mark: '▼', words: 'regressed' },
  within_noise: { mark: '≈', words: 'within noise' },
  same: { mark: '=', words: 'same' },
  new: { mark: '+', words: 'new' },
  gone: { mark: '−', words: 'gone' },
};

/** Seconds with one decimal, or a dash. */
export const seconds = (ms: number | null | undefined): string => (ms === null || ms === undefined ? '—' : `${(ms / 1000).toFixed(1)} s`);
/** Dollars: four decimals under a cent, else two. */
export const dollars = (usd: number): string => `$${usd < 0.01 ? usd.toFixed(4) : usd.toFixed(2)}`;
