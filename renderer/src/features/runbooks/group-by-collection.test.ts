import { describe, expect, it } from 'vitest';
import type { RunbookEntry } from '../../../../shared/runbook';
import { groupByCollection } from './group-by-collection';

const entry = (collection: string, name: string, errors = 0, warnings = 0, infos = 0): RunbookEntry => ({
  path: `/w/runbooks/${collection}/${name}/RUNBOOK.md`,
  collection,
  name,
  title: null,
  errors,
  warnings,
  infos,
});

describe('groupByCollection', () => {
  it('groups by collection, sorts naturally and sums diagnostics', () => {
    const groups = groupByCollection([
      entry('ops', 'step-10', 1),
      entry('Analytics', 'b', 0, 2),
      entry('ops', 'step-9', 0, 1, 3),
      entry('Analytics', 'a'),
    ]);
    expect(groups.map((g) => g.collection)).toEqual(['Analytics', 'ops']);
    expect(groups[0].runbooks.map((r) => r.name)).toEqual(['a', 'b']);
    expect(groups[1].runbooks.map((r) => r.name)).toEqual(['step-9', 'step-10']);
    expect([groups[1].errors, groups[1].warnings, groups[1].infos]).toEqual([1, 1, 3]);
    expect(groups[0].warnings).toBe(2);
  });

  it('returns no groups for no runbooks', () => {
    expect(groupByCollection([])).toEqual([]);
  });
});
