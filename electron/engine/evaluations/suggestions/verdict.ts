import type { SuggestionCell, SuggestionVerdict } from '../../../../shared/evaluation-suggestions';
import type { CellReport } from '../../../../shared/evaluations';

const figuresOf = (c: CellReport | undefined, k: number): SuggestionCell['before'] => ({
  trials: c?.trials ?? 0,
  passed: c?.passed ?? 0,
  pass_rate: c?.pass_rate ?? null,
  pass_hat_k: c?.pass_hat_k[k] ?? null,
});

/** Up when pass^k rose (or held with a higher pass rate), down when it fell (or held with a lower one); same when either side has no figure. */
function movementOf(before: SuggestionCell['before'], after: SuggestionCell['before']): SuggestionCell['movement'] {
  if (before.pass_rate === null || after.pass_rate === null) return 'same';
  const hat = (after.pass_hat_k ?? 0) - (before.pass_hat_k ?? 0);
  const delta = hat !== 0 ? hat : after.pass_rate - before.pass_rate;
  return Math.abs(delta) < 1e-9 ? 'same' : delta > 0 ? 'up' : 'down';
}

/** Each cell before the edit and after it (matched by position: the re-evaluation has the same cells), pass^k at k = the trials per cell. */
export function suggestionCells(before: readonly CellReport[], after: readonly CellReport[], k: number): SuggestionCell[] {
  return before.map((b, i) => {
    const a = after.find((c) => c.cell === b.cell) ?? after[i];
    const was = figuresOf(b, k);
    const now = figuresOf(a, k);
    return { label: b.label, k, before: was, after: now, movement: movementOf(was, now) };
  });
}

/** Worse when any cell moved down (an edit that breaks a cell is not offered as a fix), improved when some moved up, else unchanged. */
export function verdictOf(cells: readonly SuggestionCell[]): SuggestionVerdict {
  if (cells.some((c) => c.movement === 'down')) return 'worse';
  return cells.some((c) => c.movement === 'up') ? 'improved' : 'unchanged';
}
