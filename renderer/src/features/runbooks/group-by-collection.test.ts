import { describe, expect, it } from 'vitest';
import type { RunbookEntry } from '../../../../shared/runbook';
import { groupByCollection } from './group-by-collection';
import { runbookFilter } from './runbook-filter';

const entry = (where: string, name: string, errors = 0, warnings = 0, infos = 0, title: string | null = null): RunbookEntry => ({
  path: `/w/runbooks/${where}/${name}/RUNBOOK.md`,
  collection: where.split('/').at(-1) ?? where,
  name,
  title,
  errors,
  warnings,
  infos,
});

describe('groupByCollection', () => {
  it('groups by collection, sorts naturally and sums diagnostics', () => {
    const groups = groupByCollection('/w', [entry('ops', 'step-10', 1), entry('Analytics', 'b', 0, 2), entry('ops', 'step-9', 0, 1, 3), entry('Analytics', 'a')]);
    expect(groups.map((g) => g.collection)).toEqual(['Analytics', 'ops']);
    expect(groups[0].runbooks.map((r) => r.name)).toEqual(['a', 'b']);
    expect(groups[1].runbooks.map((r) => r.name)).toEqual(['step-9', 'step-10']);
    expect([groups[1].errors, groups[1].warnings, groups[1].infos, groups[1].total]).toEqual([1, 1, 3, 2]);
    expect(groups[0].warnings).toBe(2);
  });

  it('nests sub-collections under their collection instead of splitting them off by parent folder', () => {
    const groups = groupByCollection('/w', [entry('gooseworks-ai/composites', 'battlecard', 1), entry('gooseworks-ai/capabilities', 'leads'), entry('gooseworks-ai', 'top', 0, 1), entry('composites', 'other')]);
    expect(groups.map((g) => g.key)).toEqual(['composites', 'gooseworks-ai']);
    const goose = groups[1];
    expect(goose.runbooks.map((r) => r.name)).toEqual(['top']);
    expect(goose.children.map((c) => [c.key, c.depth, c.runbooks.map((r) => r.name)])).toEqual([
      ['gooseworks-ai/capabilities', 1, ['leads']],
      ['gooseworks-ai/composites', 1, ['battlecard']],
    ]);
    expect([goose.total, goose.errors, goose.warnings]).toEqual([3, 1, 1]);
  });

  it('leaves out what the filter drops, and collections left empty', () => {
    const runbooks = [entry('ops/deep', 'rotate', 2), entry('ops', 'backup'), entry('reports', 'weekly', 0, 0, 4, 'Weekly metrics')];
    expect(groupByCollection('/w', runbooks, runbookFilter({ query: '', severity: 'errors', textMatches: null })).map((g) => [g.key, g.total, g.children.map((c) => c.key)])).toEqual([['ops', 1, ['ops/deep']]]);
    expect(groupByCollection('/w', runbooks, runbookFilter({ query: 'METRICS', severity: 'all', textMatches: null })).map((g) => g.key)).toEqual(['reports']);
    expect(groupByCollection('/w', runbooks, runbookFilter({ query: 'ops deep', severity: 'all', textMatches: null })).map((g) => g.children[0]?.runbooks[0]?.name)).toEqual(['rotate']);
    expect(groupByCollection('/w', runbooks, runbookFilter({ query: '', severity: 'clean', textMatches: null })).map((g) => g.key)).toEqual(['ops', 'reports']);
    expect(groupByCollection('/w', runbooks, runbookFilter({ query: '', severity: 'hints', textMatches: null })).map((g) => g.key)).toEqual(['reports']);
    // Searching texts too: a runbook whose text matched is kept whatever its name.
    const matched = new Set([runbooks[1].path]);
    expect(groupByCollection('/w', runbooks, runbookFilter({ query: 'vacuum', severity: 'all', textMatches: matched })).map((g) => g.runbooks.map((r) => r.name))).toEqual([['backup']]);
  });

  it('returns no groups for no runbooks', () => {
    expect(groupByCollection('/w', [])).toEqual([]);
  });
});
