import { describe, expect, it } from 'vitest';
import type { EvaluationReport, EvaluationTrial } from '../../../../shared/evaluations';
import { gridRows, squareState } from './grid';

const trial = (patch: Partial<EvaluationTrial>): EvaluationTrial => ({
  cell: 0,
  case: 0,
  trial: 1,
  rerun_of: null,
  executor: 'local',
  state: 'ended',
  attempt: 1,
  trajectory_id: 'aaaaaaaa',
  superseded: [],
  outcome: 'passed',
  error_kind: null,
  error: null,
  stages: [],
  duration_ms: 1000,
  input_tokens: 0,
  output_tokens: 0,
  cost_usd: 0,
  ended_at: null,
  ...patch,
});

const report = (trials: EvaluationTrial[], cases = 1) =>
  ({
    evaluation: { cases: Array.from({ length: cases }, (_, i) => ({ name: `case-${i}`, params: {} })) },
    cells: [
      { cell: 0, label: 'a / x' },
      { cell: 1, label: 'a / y' },
    ],
    trials,
  }) as unknown as EvaluationReport;

describe('the evaluation grid', () => {
  it('a row per cell, squares in case and trial order, re-runs apart, states from how each trial stands', () => {
    const rows = gridRows(
      report([
        trial({ cell: 1, trial: 2, state: 'running', outcome: null }),
        trial({ cell: 1, trial: 1, outcome: 'failed', error_kind: 'verdict', error: 'line_count: fail' }),
        trial({ cell: 0, trial: 1 }),
        trial({ cell: 1, trial: 3, state: 'pending', outcome: null }),
        trial({ cell: 1, trial: 4, rerun_of: 1 }),
      ]),
    );
    expect(rows.map((r) => r.squares.map((s) => s.state))).toEqual([['passed'], ['failed', 'running', 'pending']]);
    expect(rows[1].squares[0].label).toBe('trial 1: failed (verdict) — line_count: fail');
    expect(rows[1].reruns.map((s) => s.label)).toEqual(['trial 4 (re-run of 1): passed']);
  });

  it('names the case when there are several', () => {
    const rows = gridRows(report([trial({ case: 1, trial: 2, outcome: 'error', error_kind: 'sandbox', error: 'no image' })], 2));
    expect(rows[0].squares[0].label).toBe('case-1, trial 2: error (sandbox) — no image');
    expect(squareState(trial({ state: 'ended', outcome: null }))).toBe('cancelled');
  });
});
