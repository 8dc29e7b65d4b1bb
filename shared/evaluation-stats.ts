/**
 * The figures of a repeated evaluation (pure: the engine computes them, the CLI prints them
 * and the renderer shows them). Formulas as in the reference kit's evaluation.md:
 * pass@k and pass^k are the unbiased estimators over n trials with c passes (product forms,
 * no large binomials), averaged over a cell's cases; a pass rate carries its Wilson score
 * interval; a stage is flaky when it passes in some trials and not others.
 */

/** P(at least one of k trials passes), unbiased from n trials with c passes: 1 − C(n−c, k)/C(n, k); undefined (NaN) for k > n. */
export function passAtK(n: number, c: number, k: number): number {
  if (!(k >= 1 && k <= n && c >= 0 && c <= n)) return Number.NaN;
  if (n - c < k) return 1;
  let none = 1;
  for (let i = 0; i < k; i++) none *= (n - c - i) / (n - i);
  return 1 - none;
}

/** P(all of k trials pass), unbiased from n trials with c passes: C(c, k)/C(n, k); undefined (NaN) for k > n. */
export function passHatK(n: number, c: number, k: number): number {
  if (!(k >= 1 && k <= n && c >= 0 && c <= n)) return Number.NaN;
  if (c < k) return 0;
  let all = 1;
  for (let i = 0; i < k; i++) all *= (c - i) / (n - i);
  return all;
}

/** The Wilson score interval of c successes in n trials (95 % by default); [0, 1] when n is 0. */
export function wilsonInterval(c: number, n: number, z = 1.959964): { low: number; high: number } {
  if (n <= 0) return { low: 0, high: 1 };
  const p = c / n;
  const z2 = z * z;
  const centre = (p + z2 / (2 * n)) / (1 + z2 / n);
  const half = (z / (1 + z2 / n)) * Math.sqrt((p * (1 - p)) / n + z2 / (4 * n * n));
  // No passes (all passes) puts the low (high) end at 0 (1) exactly, not a rounding error from it.
  return { low: c === 0 ? 0 : Math.max(0, centre - half), high: c === n ? 1 : Math.min(1, centre + half) };
}

/** The p-th percentile (0–100) by linear interpolation between closest ranks; null for no values. */
export function percentile(values: readonly number[], p: number): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = (p / 100) * (sorted.length - 1);
  const lo = Math.floor(rank);
  const hi = Math.ceil(rank);
  return sorted[lo] + (sorted[hi] - sorted[lo]) * (rank - lo);
}

/** How a trial ended: its verdict passed or failed, an error (infrastructure: not the runbook's doing), or cancelled. */
export type TrialOutcome = 'passed' | 'failed' | 'error' | 'cancelled';

/** A stage of a trial's validation_report.json as the figures read it. */
export interface TrialStage {
  name: string;
  outcome: 'pass' | 'partial' | 'fail';
  message: string | null;
}

/** What the figures need of one ended trial. */
export interface TrialFigures {
  case: number;
  /** A trial added to classify a failure (re-run failures): reported apart from the headline figures. */
  rerun_of: number | null;
  trial: number;
  outcome: TrialOutcome;
  /** With outcome `error` or `failed`: the kind (`sandbox`, `provider`, `timeout`, `interrupted`; `verdict`, `no_verdict`, `agent`, `budget`). */
  error_kind: string | null;
  stages: TrialStage[];
  duration_ms: number | null;
  input_tokens: number;
  output_tokens: number;
  cost_usd: number;
}

export type StageState = 'stable' | 'flaky' | 'broken';

export interface StageFigures {
  name: string;
  /** Trials whose report had this stage. */
  ran: number;
  passed: number;
  /** Trials where this was the first stage that did not pass (the failure to blame). */
  first_failures: number;
  state: StageState;
}

export interface CellFigures {
  /** Trials counted in the headline figures: ended with a verdict (infrastructure errors and cancelled trials are not). */
  trials: number;
  passed: number;
  failed: number;
  /** Infrastructure errors (sandbox, provider, timeout, interrupted): apart from the runbook's failures. */
  errors: number;
  cancelled: number;
  pass_rate: number | null;
  interval: { low: number; high: number } | null;
  /** pass@k and pass^k for k = 1 … the smallest trial count over the cell's cases (mean over cases). */
  pass_at_k: Record<string, number>;
  pass_hat_k: Record<string, number>;
  stages: StageFigures[];
  /** Among flaky stages, the one with the most first failures (null: none is flaky). */
  flaky_stage: string | null;
  duration_ms: { p50: number | null; p90: number | null };
  tokens: { input: number; output: number };
  cost_usd: number;
  /** Counts by kind, infrastructure apart from the runbook's own failures. */
  errors_by_kind: { infrastructure: Record<string, number>; runbook: Record<string, number> };
  /** Re-runs of failed trials: a failure whose re-runs all fail is systematic, one with a re-run that passes is flaky. */
  reruns: { trials: number; passed: number; systematic: number; flaky: number; pending: number };
}

/** The rule the headline figures follow, said wherever they are shown. */
export const SCORING_RULE =
  'pass rate, pass@k and pass^k count trials that ended with a verdict (a run with no verdict counts as failed); infrastructure errors and cancelled trials are counted apart, and re-runs of failures are reported apart';

const add = (counts: Record<string, number>, key: string) => {
  counts[key] = (counts[key] ?? 0) + 1;
};

/** The first stage of a trial that did not pass, or null. */
export const firstFailingStage = (stages: readonly TrialStage[]): string | null => stages.find((s) => s.outcome !== 'pass')?.name ?? null;

function stageFigures(trials: readonly TrialFigures[]): { stages: StageFigures[]; flaky: string | null } {
  const byName = new Map<string, StageFigures>();
  for (const t of trials) {
    const first = firstFailingStage(t.stages);
    for (const s of t.stages) {
      let f = byName.get(s.name);
      if (!f) byName.set(s.name, (f = { name: s.name, ran: 0, passed: 0, first_failures: 0, state: 'stable' }));
      f.ran++;
      if (s.outcome === 'pass') f.passed++;
      if (s.name === first) f.first_failures++;
    }
  }
  const stages = [...byName.values()].map((f) => ({ ...f, state: (f.passed === f.ran ? 'stable' : f.passed === 0 ? 'broken' : 'flaky') as StageState }));
  const flaky = stages.filter((s) => s.state === 'flaky').sort((a, b) => b.first_failures - a.first_failures)[0]?.name ?? null;
  return { stages, flaky };
}

/** pass@k and pass^k for k up to the smallest n over the cases, each the mean over cases. */
function atK(trials: readonly TrialFigures[]): { at: Record<string, number>; hat: Record<string, number> } {
  const perCase = new Map<number, { n: number; c: number }>();
  for (const t of trials) {
    const entry = perCase.get(t.case) ?? { n: 0, c: 0 };
    entry.n++;
    if (t.outcome === 'passed') entry.c++;
    perCase.set(t.case, entry);
  }
  const cases = [...perCase.values()];
  const at: Record<string, number> = {};
  const hat: Record<string, number> = {};
  if (cases.length === 0) return { at, hat };
  const kMax = Math.min(...cases.map((c) => c.n));
  for (let k = 1; k <= kMax; k++) {
    at[k] = cases.reduce((sum, c) => sum + passAtK(c.n, c.c, k), 0) / cases.length;
    hat[k] = cases.reduce((sum, c) => sum + passHatK(c.n, c.c, k), 0) / cases.length;
  }
  return { at, hat };
}

/** The figures of one cell from its trials (those not ended are left out by the caller). */
export function cellFigures(all: readonly TrialFigures[], pendingReruns = 0): CellFigures {
  const headline = all.filter((t) => t.rerun_of === null);
  const scored = headline.filter((t) => t.outcome === 'passed' || t.outcome === 'failed');
  const passed = scored.filter((t) => t.outcome === 'passed').length;
  const errorsByKind = { infrastructure: {} as Record<string, number>, runbook: {} as Record<string, number> };
  for (const t of headline) {
    if (t.outcome === 'error') add(errorsByKind.infrastructure, t.error_kind ?? 'unknown');
    if (t.outcome === 'failed') add(errorsByKind.runbook, t.error_kind ?? 'verdict');
  }
  const { stages, flaky } = stageFigures(scored);
  const { at, hat } = atK(scored);
  const durations = headline.flatMap((t) => (t.duration_ms === null ? [] : [t.duration_ms]));
  const reruns = all.filter((t) => t.rerun_of !== null && t.outcome !== 'cancelled');
  let systematic = 0;
  let flakyFailures = 0;
  for (const failed of headline.filter((t) => t.outcome === 'failed' || t.outcome === 'error')) {
    const own = reruns.filter((r) => r.case === failed.case && r.rerun_of === failed.trial && r.outcome !== 'error');
    if (own.length === 0) continue;
    if (own.some((r) => r.outcome === 'passed')) flakyFailures++;
    else systematic++;
  }
  return {
    trials: scored.length,
    passed,
    failed: scored.length - passed,
    errors: headline.filter((t) => t.outcome === 'error').length,
    cancelled: headline.filter((t) => t.outcome === 'cancelled').length,
    pass_rate: scored.length > 0 ? passed / scored.length : null,
    interval: scored.length > 0 ? wilsonInterval(passed, scored.length) : null,
    pass_at_k: at,
    pass_hat_k: hat,
    stages,
    flaky_stage: flaky,
    duration_ms: { p50: percentile(durations, 50), p90: percentile(durations, 90) },
    tokens: { input: all.reduce((s, t) => s + t.input_tokens, 0), output: all.reduce((s, t) => s + t.output_tokens, 0) },
    cost_usd: all.reduce((s, t) => s + t.cost_usd, 0),
    errors_by_kind: errorsByKind,
    reruns: { trials: reruns.length, passed: reruns.filter((r) => r.outcome === 'passed').length, systematic, flaky: flakyFailures, pending: pendingReruns },
  };
}

/** How a figure moved between two evaluations: beyond the noise of its intervals, within it, or not comparable. */
export type Movement = 'improved' | 'regressed' | 'same' | 'within_noise' | 'new' | 'gone';

/**
 * Marks a pass rate's move from `before` to `after` (c passes of n each): improved or
 * regressed only when the two Wilson intervals do not overlap; a change inside them is
 * within noise.
 */
export function movement(before: { c: number; n: number } | null, after: { c: number; n: number } | null): Movement {
  if (!before || before.n === 0) return after && after.n > 0 ? 'new' : 'same';
  if (!after || after.n === 0) return 'gone';
  const a = wilsonInterval(before.c, before.n);
  const b = wilsonInterval(after.c, after.n);
  if (b.low > a.high) return 'improved';
  if (b.high < a.low) return 'regressed';
  return before.c / before.n === after.c / after.n ? 'same' : 'within_noise';
}

/** A rate as a percentage with no decimals (or "—"). */
export const percent = (rate: number | null | undefined): string => (rate === null || rate === undefined || Number.isNaN(rate) ? '—' : `${Math.round(rate * 100)}%`);
