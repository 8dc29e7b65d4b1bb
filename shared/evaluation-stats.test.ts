import { describe, expect, it } from 'vitest';
import { cellFigures, movement, passAtK, passHatK, percentile, wilsonInterval, type TrialFigures } from './evaluation-stats';

/** C(n, k) by the definition, to check the product forms against. */
function choose(n: number, k: number): number {
  if (k < 0 || k > n) return 0;
  let r = 1;
  for (let i = 1; i <= k; i++) r = (r * (n - k + i)) / i;
  return r;
}

const trial = (patch: Partial<TrialFigures>): TrialFigures => ({
  case: 0,
  rerun_of: null,
  trial: 1,
  outcome: 'passed',
  error_kind: null,
  stages: [],
  duration_ms: 1000,
  input_tokens: 10,
  output_tokens: 5,
  cost_usd: 0.001,
  ...patch,
});

describe('estimators', () => {
  it('match the reference example (n = 10, c = 7, k = 3) and the binomial definitions', () => {
    expect(passAtK(10, 7, 3)).toBeCloseTo(1 - 1 / 120, 12);
    expect(passHatK(10, 7, 3)).toBeCloseTo(35 / 120, 12);
    for (let n = 1; n <= 12; n++) {
      for (let c = 0; c <= n; c++) {
        for (let k = 1; k <= n; k++) {
          expect(passAtK(n, c, k)).toBeCloseTo(1 - choose(n - c, k) / choose(n, k), 12);
          expect(passHatK(n, c, k)).toBeCloseTo(choose(c, k) / choose(n, k), 12);
        }
      }
    }
  });

  it('pass@1 and pass^1 are the pass rate; k > n is undefined', () => {
    expect(passAtK(3, 1, 1)).toBeCloseTo(1 / 3);
    expect(passHatK(3, 1, 1)).toBeCloseTo(1 / 3);
    expect(passAtK(3, 1, 4)).toBeNaN();
    expect(passHatK(3, 1, 4)).toBeNaN();
    // Large n does not overflow (no factorials).
    expect(passAtK(5000, 2500, 100)).toBeCloseTo(1, 12);
    expect(passHatK(5000, 5000, 100)).toBe(1);
  });

  it('Wilson interval: known values, bounded to [0, 1], wide with no data', () => {
    const { low, high } = wilsonInterval(7, 10);
    expect(low).toBeCloseTo(0.3968, 3);
    expect(high).toBeCloseTo(0.8922, 3);
    expect(wilsonInterval(0, 5).low).toBe(0);
    expect(wilsonInterval(5, 5).high).toBe(1);
    expect(wilsonInterval(0, 0)).toEqual({ low: 0, high: 1 });
  });

  it('percentiles interpolate between ranks', () => {
    expect(percentile([], 50)).toBeNull();
    expect(percentile([10], 90)).toBe(10);
    expect(percentile([1, 2, 3, 4], 50)).toBe(2.5);
    expect(percentile([5, 1, 3, 2, 4, 6, 7, 8, 9, 10], 90)).toBeCloseTo(9.1);
  });
});

describe('a cell’s figures', () => {
  it('3 trials, 1 pass: pass rate, pass@k, pass^k, the flaky stage, errors apart', () => {
    const stages = (lineCount: boolean) => [
      { name: 'hello', outcome: 'pass' as const, message: null },
      { name: 'line_count', outcome: lineCount ? ('pass' as const) : ('fail' as const), message: lineCount ? null : 'expected 3 lines' },
    ];
    const figures = cellFigures([
      trial({ trial: 1, outcome: 'passed', stages: stages(true), duration_ms: 1000 }),
      trial({ trial: 2, outcome: 'failed', error_kind: 'verdict', stages: stages(false), duration_ms: 2000 }),
      trial({ trial: 3, outcome: 'failed', error_kind: 'verdict', stages: stages(false), duration_ms: 3000 }),
      trial({ trial: 4, outcome: 'error', error_kind: 'sandbox', stages: [], duration_ms: 50 }),
    ]);
    expect(figures).toMatchObject({ trials: 3, passed: 1, failed: 2, errors: 1, flaky_stage: 'line_count' });
    expect(figures.pass_rate).toBeCloseTo(1 / 3);
    expect(Object.keys(figures.pass_at_k)).toEqual(['1', '2', '3']);
    expect(figures.pass_at_k[2]).toBeCloseTo(2 / 3);
    expect(figures.pass_at_k[3]).toBe(1);
    expect(figures.pass_hat_k[2]).toBe(0);
    expect(figures.stages).toEqual([
      { name: 'hello', ran: 3, passed: 3, first_failures: 0, state: 'stable' },
      { name: 'line_count', ran: 3, passed: 1, first_failures: 2, state: 'flaky' },
    ]);
    expect(figures.errors_by_kind).toEqual({ infrastructure: { sandbox: 1 }, runbook: { verdict: 2 } });
    expect(figures.duration_ms.p50).toBe(1500);
  });

  it('pass@k over several cases is the mean of each case’s, k up to the smallest n', () => {
    const figures = cellFigures([
      trial({ case: 0, trial: 1, outcome: 'passed' }),
      trial({ case: 0, trial: 2, outcome: 'passed' }),
      trial({ case: 0, trial: 3, outcome: 'failed' }),
      trial({ case: 1, trial: 1, outcome: 'failed' }),
      trial({ case: 1, trial: 2, outcome: 'failed' }),
    ]);
    expect(Object.keys(figures.pass_at_k)).toEqual(['1', '2']);
    expect(figures.pass_at_k[1]).toBeCloseTo((2 / 3 + 0) / 2);
    expect(figures.pass_hat_k[2]).toBeCloseTo((1 / 3 + 0) / 2);
  });

  it('re-runs of failures classify them as systematic or flaky, apart from the headline', () => {
    const figures = cellFigures([
      trial({ trial: 1, outcome: 'failed' }),
      trial({ trial: 2, outcome: 'failed' }),
      trial({ trial: 3, outcome: 'passed' }),
      trial({ trial: 4, rerun_of: 1, outcome: 'failed' }),
      trial({ trial: 5, rerun_of: 1, outcome: 'failed' }),
      trial({ trial: 6, rerun_of: 2, outcome: 'failed' }),
      trial({ trial: 7, rerun_of: 2, outcome: 'passed' }),
    ]);
    expect(figures.trials).toBe(3);
    expect(figures.pass_rate).toBeCloseTo(1 / 3);
    expect(figures.reruns).toEqual({ trials: 4, passed: 1, systematic: 1, flaky: 1, pending: 0 });
  });
});

describe('movement between evaluations', () => {
  it('marks a change only beyond the intervals', () => {
    expect(movement({ c: 10, n: 10 }, { c: 0, n: 10 })).toBe('regressed');
    expect(movement({ c: 0, n: 10 }, { c: 10, n: 10 })).toBe('improved');
    expect(movement({ c: 2, n: 3 }, { c: 1, n: 3 })).toBe('within_noise');
    expect(movement({ c: 3, n: 3 }, { c: 3, n: 3 })).toBe('same');
    expect(movement(null, { c: 1, n: 3 })).toBe('new');
    expect(movement({ c: 1, n: 3 }, null)).toBe('gone');
  });
});
