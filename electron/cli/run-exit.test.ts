import { describe, expect, it } from 'vitest';
import type { Evaluation } from '../../shared/trajectory';
import { runExitCode } from './run-exit';

const evaluation = (over: Partial<Evaluation> = {}): Evaluation => ({ overall_passed: true, pass: 1, partial: 0, fail: 0, ...over });

describe('jetty run exit codes', () => {
  it('0 for a completed run that passed or has no evaluation, 4 when its evaluation failed', () => {
    expect(runExitCode({ status: 'completed', evaluation: evaluation() })).toBe(0);
    expect(runExitCode({ status: 'completed', evaluation: null })).toBe(0);
    expect(runExitCode({ status: 'completed', evaluation: evaluation({ overall_passed: null }) })).toBe(0);
    expect(runExitCode({ status: 'completed', evaluation: evaluation({ overall_passed: false, fail: 1 }) })).toBe(4);
    expect(runExitCode({ status: 'completed', evaluation: evaluation({ overall_passed: false, missing_outputs: ['greeting.txt'] }) })).toBe(4);
  });

  it('a failed run is 1 and a cancelled one 130, whatever its evaluation', () => {
    expect(runExitCode({ status: 'failed', evaluation: evaluation({ overall_passed: false }) })).toBe(1);
    expect(runExitCode({ status: 'failed', evaluation: evaluation() })).toBe(1);
    expect(runExitCode({ status: 'cancelled', evaluation: null })).toBe(130);
  });
});
