import { mkdtemp, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { evaluationFromReport, readEvaluation, withMissingOutputs } from './evaluation';

describe('evaluationFromReport', () => {
  it('reads pass/partial/fail counts from results', () => {
    const e = evaluationFromReport({ overall_passed: true, results: { pass: 4, partial: 1, fail: 0 }, stages: [] });
    expect(e).toMatchObject({ overall_passed: true, pass: 4, partial: 1, fail: 0 });
  });

  it('reads checks_total / checks_passed', () => {
    const e = evaluationFromReport({ overall_passed: false, results: { checks_total: 12, checks_passed: 9 } });
    expect(e).toMatchObject({ overall_passed: false, pass: 9, partial: 0, fail: 3 });
  });

  it('counts stages when results carry no counts, and derives overall_passed when absent', () => {
    const e = evaluationFromReport({
      stages: [{ name: 'a', passed: true }, { name: 'b', status: 'PARTIAL' }, { name: 'c', passed: false }],
    });
    expect(e).toMatchObject({ overall_passed: false, pass: 1, partial: 1, fail: 1 });
    expect(evaluationFromReport({ stages: [{ passed: true }] }).overall_passed).toBe(true);
  });

  it('keeps overall_passed unknown when nothing can be counted', () => {
    expect(evaluationFromReport({ files: [] })).toMatchObject({ overall_passed: null, pass: 0, fail: 0 });
  });

  it('treats a non-object report as a failure', () => {
    expect(evaluationFromReport([1, 2])).toMatchObject({ overall_passed: false, fail: 1 });
  });
});

describe('readEvaluation', () => {
  it('returns null when there is no report, and a failure for invalid JSON', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'jetty-eval-'));
    expect(await readEvaluation(dir)).toBeNull();
    await writeFile(path.join(dir, 'validation_report.json'), '{"overall_passed": tru');
    const e = await readEvaluation(dir);
    expect(e?.overall_passed).toBe(false);
    expect(JSON.stringify(e?.report)).toMatch(/not valid JSON/);
  });
});

describe('withMissingOutputs', () => {
  const passing = { overall_passed: true, pass: 2, partial: 0, fail: 0, report: { overall_passed: true } };

  it('fails a passing report when a required output is missing, keeping the report as written', () => {
    expect(withMissingOutputs(passing, ['greeting.txt'])).toEqual({ ...passing, overall_passed: false, missing_outputs: ['greeting.txt'] });
  });

  it('is a failed evaluation of the missing files alone when there is no report', () => {
    expect(withMissingOutputs(null, ['validation_report.json'])).toEqual({ overall_passed: false, pass: 0, partial: 0, fail: 0, missing_outputs: ['validation_report.json'] });
  });

  it('leaves the evaluation (or its absence) alone when nothing is missing', () => {
    expect(withMissingOutputs(passing, [])).toBe(passing);
    expect(withMissingOutputs(null, [])).toBeNull();
  });
});
