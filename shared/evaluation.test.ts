import { describe, expect, it } from 'vitest';
import { evaluationBrief, evaluationLine, evaluationVerdict, failingParts, verdictLabel } from './evaluation';
import type { Evaluation } from './trajectory';

const e = (over: Partial<Evaluation>): Evaluation => ({ overall_passed: true, pass: 3, partial: 0, fail: 0, ...over });

describe('the evaluation apart from the status', () => {
  it('judges passed, failed (by the report or by a missing required output) and none', () => {
    expect(evaluationVerdict(e({}))).toBe('passed');
    expect(evaluationVerdict(e({ overall_passed: false }))).toBe('failed');
    expect(evaluationVerdict(e({ missing_outputs: ['greeting.txt'] }))).toBe('failed');
    expect(evaluationVerdict(e({ overall_passed: null }))).toBe('none');
    expect(evaluationVerdict(null)).toBe('none');
  });

  it('names a missing evaluation apart from a report without a verdict', () => {
    expect(verdictLabel(null)).toBe('no evaluation');
    expect(verdictLabel(e({ overall_passed: null }))).toBe('no verdict');
  });

  it('lists only what failed, in a short cell and a whole line', () => {
    const failed = e({ overall_passed: false, pass: 1, partial: 1, fail: 2, missing_outputs: ['a.txt', 'b.md'] });
    expect(failingParts(failed)).toEqual(['2 fail', '1 partial', '2 missing outputs']);
    expect(evaluationBrief(failed)).toBe('failed: 2 fail, 1 partial, 2 missing outputs');
    expect(evaluationLine(failed)).toBe('failed (1 pass, 1 partial, 2 fail; missing required outputs: a.txt, b.md)');
    expect(evaluationBrief(e({}))).toBe('passed 3/3');
    expect(evaluationLine(e({}))).toBe('passed (3 pass, 0 partial, 0 fail)');
    const onlyMissing = e({ overall_passed: false, pass: 0, missing_outputs: ['greeting.txt'] });
    expect(evaluationBrief(onlyMissing)).toBe('failed: 1 missing output');
    expect(evaluationLine(onlyMissing)).toBe('failed (missing required output: greeting.txt)');
    expect(evaluationBrief(e({ overall_passed: false, pass: 0 }))).toBe('failed');
    expect(evaluationBrief(null)).toBe('no evaluation');
    expect(evaluationLine(null)).toBe('no evaluation (no validation_report.json)');
  });
});
