import { describe, expect, it } from 'vitest';
import type { Trajectory } from '../../../shared/trajectory';
import { trialEnd } from './trial-outcome';

const run = (patch: Partial<Trajectory>): Trajectory => ({
  id: 'abcdef01',
  collection: 'demo',
  task: 'hello',
  kind: 'runbook',
  status: 'completed',
  init_params: {},
  agent: 'builtin',
  model: 'm',
  created_at: '2026-01-01T00:00:00.000Z',
  started_at: '2026-01-01T00:00:00.000Z',
  ended_at: '2026-01-01T00:00:02.500Z',
  usage: null,
  evaluation: null,
  steps: { sandbox: { status: 'completed', inputs: {}, outputs: {} } },
  labels: [],
  artifacts: [],
  ...patch,
});
const calls = { input_tokens: 10, output_tokens: 2, cost_usd: 0.001 };
const report = (passed: boolean) => ({ overall_passed: passed, pass: 1, partial: 0, fail: passed ? 0 : 1, report: { stages: [{ name: 'hello', passed: true }, { name: 'lines', passed, message: passed ? undefined : 'two lines' }] } });

describe('how a trial ended', () => {
  it('a completed run: its verdict, its stages, its duration; no verdict counts as failed', () => {
    expect(trialEnd(run({ evaluation: report(true) }), calls, null)).toMatchObject({ outcome: 'passed', error_kind: null, duration_ms: 2500, input_tokens: 10, stages: [{ name: 'hello', outcome: 'pass' }, { name: 'lines', outcome: 'pass' }] });
    expect(trialEnd(run({ evaluation: report(false) }), calls, null)).toMatchObject({ outcome: 'failed', error_kind: 'verdict', error: 'lines: fail (two lines)' });
    expect(trialEnd(run({ evaluation: { overall_passed: false, pass: 0, partial: 0, fail: 0, missing_outputs: ['a.txt'] } }), calls, null)).toMatchObject({ outcome: 'failed', error: 'missing required output: a.txt' });
    expect(trialEnd(run({ evaluation: null }), calls, null)).toMatchObject({ outcome: 'failed', error_kind: 'no_verdict' });
  });

  it('a failed run: infrastructure (sandbox, timeout, provider, crash) apart from the runbook’s own failure (agent, budget)', () => {
    const failed = (patch: Partial<Trajectory>, lastCall: { http_status: number | null; error: string | null } | null = null) => trialEnd(run({ status: 'failed', ...patch }), calls, lastCall);
    expect(failed({ error: 'Could not pull image', steps: { sandbox: { status: 'failed', inputs: {}, outputs: {} } } })).toMatchObject({ outcome: 'error', error_kind: 'sandbox' });
    expect(failed({ error: 'timed out after 60 s' })).toMatchObject({ outcome: 'error', error_kind: 'timeout' });
    expect(failed({ error: 'interrupted' })).toMatchObject({ outcome: 'error', error_kind: 'interrupted' });
    expect(failed({ error: 'model request failed: 503' }, { http_status: 503, error: 'overloaded' })).toMatchObject({ outcome: 'error', error_kind: 'provider' });
    expect(failed({ error: 'model request failed: fetch failed' }, { http_status: null, error: 'ECONNREFUSED' })).toMatchObject({ outcome: 'error', error_kind: 'provider' });
    expect(failed({ error: 'model request failed: 400' }, { http_status: 400, error: 'bad request' })).toMatchObject({ outcome: 'failed', error_kind: 'agent' });
    expect(failed({ error: 'agent ended with max_turns' }, { http_status: 200, error: null })).toMatchObject({ outcome: 'failed', error_kind: 'agent' });
    expect(failed({ error: 'budget exceeded: the run has spent $0.5000 of its max_cost_usd $0.5' })).toMatchObject({ outcome: 'failed', error_kind: 'budget' });
    expect(trialEnd(run({ status: 'cancelled' }), calls, null)).toMatchObject({ outcome: 'cancelled' });
  });
});
