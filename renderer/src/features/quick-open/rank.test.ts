import { describe, expect, it } from 'vitest';
import { matchPositions, rank, score } from './rank';

const c = (label: string) => ({ label, path: `/w/runbooks/${label}/RUNBOOK.md` });

describe('score', () => {
  it('matches characters in order, any case, and nothing out of order', () => {
    expect(score('ops/rotate-logs', 'rotlog')).not.toBeNull();
    expect(score('ops/rotate-logs', 'ROTATE')).not.toBeNull();
    expect(score('ops/rotate-logs', 'golr')).toBeNull();
  });
});

describe('rank', () => {
  const candidates = [c('reports/weekly-metrics'), c('ops/rotate-logs'), c('ops/deep/rotate-keys'), c('gooseworks-ai/composites/battlecard-generator')];

  it('puts word-start and consecutive matches first', () => {
    expect(rank(candidates, 'rot', 10).slice(0, 2).map((x) => x.label)).toEqual(['ops/rotate-logs', 'ops/deep/rotate-keys']);
    expect(rank(candidates, 'bg', 10).map((x) => x.label)).toEqual(['gooseworks-ai/composites/battlecard-generator']);
    expect(rank(candidates, 'rk', 10)[0].label).toBe('ops/deep/rotate-keys');
  });

  it('ranks the name typed whole above names that merely contain its letters', () => {
    const names = [c('ops/db/postgres/rotate-logs-11'), c('acme/composites/rotate-logs-1'), c('ops/rotate-logs-10')];
    expect(rank(names, 'rotate-logs-1', 10)[0].label).toBe('acme/composites/rotate-logs-1');
  });

  it('keeps the order for an empty query, and the limit', () => {
    expect(rank(candidates, '', 2).map((x) => x.label)).toEqual(['reports/weekly-metrics', 'ops/rotate-logs']);
    expect(rank(candidates, 'o', 1)).toHaveLength(1);
  });
});

describe('matchPositions', () => {
  it('marks the query found whole, else each letter in order, and nothing that does not match', () => {
    expect(matchPositions('ops/rotate-logs', 'rota')).toEqual([4, 5, 6, 7]);
    expect(matchPositions('ops/rotate-logs', 'rlg')).toEqual([4, 11, 13]);
    expect(matchPositions('ops/rotate-logs', 'golr')).toBeNull();
  });
});
