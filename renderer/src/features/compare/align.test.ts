import { describe, expect, it } from 'vitest';
import type { Trajectory } from '../../../../shared/trajectory';
import { alignArtifacts, alignParams, alignSteps, alignToolCalls, stepDuration } from './align';

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

describe('alignSteps', () => {
  it('pairs steps by name, left order first, then right-only steps', () => {
    const left = { ...base, steps: { prepare: step('completed'), agent: step('failed') } };
    const right = { ...base, steps: { agent: step('completed'), prepare: step('completed'), evaluate: step('completed') } };
    const aligned = alignSteps(left, right);
    expect(aligned.map((s) => s.name)).toEqual(['prepare', 'agent', 'evaluate']);
    expect(aligned[1].left?.status).toBe('failed');
    expect(aligned[1].right?.status).toBe('completed');
    expect(aligned[2].left).toBeNull();
    expect(stepDuration(aligned[0].left)).toBe(2000);
    expect(stepDuration(null)).toBeNull();
  });
});

describe('alignArtifacts', () => {
  it('compares files by path and sha256', () => {
    const left = { ...base, artifacts: [art('a.md', 'a'), art('b.json', 'b'), art('only-left.txt', 'c')] };
    const right = { ...base, artifacts: [art('b.json', 'x'), art('a.md', 'a'), art('only-right.txt', 'd')] };
    expect(alignArtifacts(left, right).map((a) => [a.path, a.comparison])).toEqual([
      ['a.md', 'same'],
      ['b.json', 'different'],
      ['only-left.txt', 'only-left'],
      ['only-right.txt', 'only-right'],
    ]);
  });
});

describe('alignParams', () => {
  it('lists every parameter of either run, as text, marking the ones that differ', () => {
    const rows = alignParams({ ...base, init_params: { name: 'Ada', times: '3', flags: { a: 1 } } }, { ...base, init_params: { name: 'Grace', times: '3', extra: 'x' } });
    expect(rows).toEqual([
      { name: 'extra', left: null, right: 'x', differs: true },
      { name: 'flags', left: '{"a":1}', right: null, differs: true },
      { name: 'name', left: 'Ada', right: 'Grace', differs: true },
      { name: 'times', left: '3', right: '3', differs: false },
    ]);
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
