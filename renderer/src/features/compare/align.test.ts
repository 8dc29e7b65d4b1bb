import { describe, expect, it } from 'vitest';
import type { Trajectory } from '../../../../shared/trajectory';
import { alignArtifactsOf, alignParams, alignStepsOf, alignToolCalls, readableArgs, stepDuration } from './align';

const base: Trajectory = {
  id: '00000001',
  collection: 'c',
  task: 't',
  kind: 'runbook',
  status: 'completed',
  init_params: {},
  agent: null,
  model: null,
  created_at: '2026-01-01T00:00:00Z',
  started_at: null,
  ended_at: null,
  usage: null,
  evaluation: null,
  steps: {},
  labels: [],
  artifacts: [],
};
const step = (status: 'completed' | 'failed', started = '2026-01-01T00:00:00Z', ended = '2026-01-01T00:00:02Z') => ({ status, inputs: {}, outputs: {}, started_at: started, ended_at: ended });
const art = (path: string, sha: string) => ({ path, sha256: sha.repeat(64), size: 1, media_type: 'text/plain' });

describe('alignStepsOf', () => {
  it('puts the runs’ steps side by side by name, the first run’s order first, then the others’ new steps', () => {
    const first = { ...base, steps: { prepare: step('completed'), agent: step('failed') } };
    const second = { ...base, steps: { agent: step('completed'), prepare: step('completed'), evaluate: step('completed') } };
    const third = { ...base, steps: { collect: step('completed') } };
    const aligned = alignStepsOf([first, second, third]);
    expect(aligned.map((s) => s.name)).toEqual(['prepare', 'agent', 'evaluate', 'collect']);
    expect(aligned[1].steps.map((s) => s?.status ?? null)).toEqual(['failed', 'completed', null]);
    expect(stepDuration(aligned[0].steps[0])).toBe(2000);
    expect(stepDuration(null)).toBeNull();
  });
});

describe('alignArtifactsOf', () => {
  it('compares each run’s files with the first run’s by path and sha256', () => {
    const first = { ...base, artifacts: [art('a.md', 'a'), art('b.json', 'b'), art('only-first.txt', 'c')] };
    const second = { ...base, artifacts: [art('b.json', 'x'), art('a.md', 'a'), art('new.txt', 'd')] };
    const third = { ...base, artifacts: [art('b.json', 'b')] };
    expect(alignArtifactsOf([first, second, third]).map((a) => [a.path, ...a.comparisons])).toEqual([
      ['a.md', 'baseline', 'same', 'missing'],
      ['b.json', 'baseline', 'different', 'same'],
      ['new.txt', 'baseline', 'added', 'missing'],
      ['only-first.txt', 'baseline', 'missing', 'missing'],
    ]);
  });
});

describe('alignParams', () => {
  it('lists every parameter of any run, as text, marking the ones where a run differs from the first', () => {
    const rows = alignParams([
      { ...base, init_params: { name: 'Ada', times: '3', flags: { a: 1 } } },
      { ...base, init_params: { name: 'Grace', times: '3', extra: 'x' } },
      { ...base, init_params: { name: 'Ada', times: '3', flags: { a: 1 } } },
    ]);
    expect(rows).toEqual([
      { name: 'extra', values: [null, 'x', null], differs: true },
      { name: 'flags', values: ['{"a":1}', null, '{"a":1}'], differs: true },
      { name: 'name', values: ['Ada', 'Grace', 'Ada'], differs: true },
      { name: 'times', values: ['3', '3', '3'], differs: false },
    ]);
  });
});

describe('readableArgs', () => {
  it('pretty-prints JSON arguments and leaves other text as it is', () => {
    expect(readableArgs('{"command":"ls","n":1}')).toBe('{\n  "command": "ls",\n  "n": 1\n}');
    expect(readableArgs('not json')).toBe('not json');
  });
});

describe('alignToolCalls', () => {
  const call = (name: string, args = '{}') => ({ name, args });
  it('aligns by name, marks changed arguments, and shows calls only one run made as gaps', () => {
    const rows = alignToolCalls(
      [call('bash', '{"command":"ls"}'), call('write_file', '{"path":"a"}'), call('finish')],
      [call('bash', '{"command":"ls -la"}'), call('read_file'), call('write_file', '{"path":"a"}'), call('finish')],
    );
    expect(rows.map((r) => [r.left?.name ?? null, r.right?.name ?? null, r.comparison])).toEqual([
      ['bash', 'bash', 'different'],
      [null, 'read_file', 'only-right'],
      ['write_file', 'write_file', 'same'],
      ['finish', 'finish', 'same'],
    ]);
    expect(alignToolCalls([call('a')], [])).toEqual([{ left: call('a'), right: null, comparison: 'only-left' }]);
  });
});
