import { describe, expect, it } from 'vitest';
import { exampleInputs } from './manifest-examples';

describe('exampleInputs', () => {
  it('takes files under examples/ and plain values, skips what describes the example and paths with ..', () => {
    const got = exampleInputs([
      { id: 'budget', title: 'Budget', input: { template: 'examples/budget/t.xlsx', data: 'examples/budget/d.json', license: 'Synthetic', values: { basename: 'b', n: 3 } } },
      { id: 'spec-only', input: { spec: 'A chat room' } },
      { id: 'escape', input: { file: 'examples/../../etc/passwd' } },
      { id: 'nothing', input: { license: 'x' } },
      { title: 'no id', input: { file: 'examples/a.txt' } },
    ]);
    expect(got).toEqual([
      { id: 'budget', title: 'Budget', values: { basename: 'b', n: '3' }, files: [{ key: 'template', path: 'examples/budget/t.xlsx' }, { key: 'data', path: 'examples/budget/d.json' }] },
      { id: 'spec-only', title: 'spec-only', values: { spec: 'A chat room' }, files: [] },
    ]);
  });
});
