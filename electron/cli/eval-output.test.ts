import { describe, expect, it } from 'vitest';
import type { EvaluationReport } from '../../shared/evaluations';
import { gateVerdict, tableLines } from './eval-output';

const report = (status: string, cells: { label: string; trials: number; passed: number; failed: number; errors: number; cancelled?: number }[]) =>
  ({
    evaluation: { status, error: null, cases: [{ name: 'default', params: {} }] },
    cells: cells.map((c, i) => ({ cell: i, cancelled: 0, pass_rate: c.trials ? c.passed / c.trials : null, interval: null, pass_at_k: {}, pass_hat_k: {}, flaky_stage: null, duration_ms: { p50: null, p90: null }, cost_usd: 0, ...c })),
    trials: [],
  }) as unknown as EvaluationReport;

describe('the CI gate', () => {
  it('by default every trial passed; an infrastructure error is not a pass', () => {
    expect(gateVerdict(report('completed', [{ label: 'a', trials: 3, passed: 3, failed: 0, errors: 0 }]), { minPassRate: null })).toEqual({ holds: true, reasons: [] });
    expect(gateVerdict(report('completed', [{ label: 'a', trials: 3, passed: 3, failed: 0, errors: 1 }]), { minPassRate: null }).reasons).toEqual(['a: 1 of 4 trials did not pass (every trial must)']);
  });

  it('--min-pass-rate holds each cell to the rate of its trials with a verdict; a cell with none, or an evaluation that did not complete, fails it', () => {
    const r = report('completed', [
      { label: 'a', trials: 4, passed: 3, failed: 1, errors: 2 },
      { label: 'b', trials: 4, passed: 2, failed: 2, errors: 0 },
      { label: 'c', trials: 0, passed: 0, failed: 0, errors: 4 },
    ]);
    expect(gateVerdict(r, { minPassRate: 0.75 }).reasons).toEqual(['b: pass rate 50% is under 75%', 'c: no trial reached a verdict (4 infrastructure errors)']);
    expect(gateVerdict(report('cancelled', []), { minPassRate: 0 })).toEqual({ holds: false, reasons: ['the evaluation cancelled'] });
  });

  it('the live table lines up its columns', () => {
    const lines = tableLines(report('running', [{ label: 'builtin / m', trials: 1, passed: 1, failed: 0, errors: 0 }]));
    expect(lines[0]).toMatch(/^CELL\s+TRIALS\s+PASSED\s+FAILED\s+ERRORS\s+PASS RATE \[95%\]/);
    expect(lines[1].indexOf('0/0')).toBe(lines[0].indexOf('TRIALS'));
  });
});
