import { beforeEach, describe, expect, it } from 'vitest';
import { evaluationVerdict } from '../../../shared/evaluation';
import type { Evaluation } from '../../../shared/trajectory';
import type { Store } from './index';
import { aTrajectory, tempStore } from './temp-store.test-helper';

describe('listTrajectories and stats', () => {
  let store: Store;
  let ids: Record<string, string>;

  beforeEach(() => {
    store = tempStore().store;
    const make = (name: string, overrides: Parameters<typeof aTrajectory>[0]) =>
      [name, store.createTrajectory(aTrajectory(overrides)).id] as const;
    ids = Object.fromEntries([
      make('r1', { task: 'report', agent: 'codex', model: 'openai/gpt-4o', init_params: { city: 'Lisbon' } }),
      make('r2', { task: 'report', agent: 'claude-code', status: 'running' }),
      make('r3', { task: 'report', kind: 'workflow' }),
      make('o1', { collection: 'other', task: 'report', kind: 'passthrough' }),
      make('s1', { task: 'summary_100%' }),
    ]);
    store.addLabel(ids.r1, { key: 'quality', value: 'good', author: 'a' });
    store.addLabel(ids.r3, { key: 'quality', value: 'bad', author: 'a' });
  });

  const listed = (query: Parameters<Store['listTrajectories']>[0]) =>
    store.listTrajectories(query).trajectories.map((t) => Object.keys(ids).find((k) => ids[k] === t.id));

  it('returns the cloud page shape, newest first, with full trajectories', () => {
    const page = store.listTrajectories({ limit: 2, page: 1 });
    expect(page).toMatchObject({ total: 5, page: 1, limit: 2, has_more: true });
    expect(page.trajectories.map((t) => t.id)).toEqual([ids.s1, ids.o1]);
    expect(page.trajectories[0]).toMatchObject({ steps: {}, labels: [], artifacts: [] });
    expect(store.listTrajectories({ limit: 2, page: 3 })).toMatchObject({ has_more: false });
    expect(store.listTrajectories({ limit: 2, page: 3 }).trajectories.map((t) => t.id)).toEqual([ids.r1]);
    expect(store.listTrajectories({ limit: 2, page: 4 }).trajectories).toEqual([]);
  });

  it('filters by collection, task, kind, status and label', () => {
    expect(listed({ collection: 'other' })).toEqual(['o1']);
    expect(listed({ collection: 'acme', task: 'report' })).toEqual(['r3', 'r2', 'r1']);
    expect(listed({ kind: 'workflow' })).toEqual(['r3']);
    expect(listed({ status: 'running' })).toEqual(['r2']);
    expect(listed({ status: ['running', 'pending'], task: 'summary_100%' })).toEqual(['s1']);
    expect(listed({ label: 'quality' })).toEqual(['r3', 'r1']);
    expect(listed({ label: 'quality=good' })).toEqual(['r1']);
  });

  it('searches case-insensitively, treating % and _ literally', () => {
    expect(listed({ search: 'CLAUDE' })).toEqual(['r2']);
    expect(listed({ search: 'lisbon' })).toEqual(['r1']);
    expect(listed({ search: 'gpt-4o' })).toEqual(['r1']);
    expect(listed({ search: ids.o1 })).toEqual(['o1']);
    expect(listed({ search: '_100%' })).toEqual(['s1']);
    expect(listed({ search: '%' })).toEqual(['s1']);
  });

  it('rejects bad paging and statuses', () => {
    expect(() => store.listTrajectories({ limit: 0 })).toThrow(/Invalid limit 0/);
    expect(() => store.listTrajectories({ limit: 1000 })).toThrow(/from 1 to 200/);
    expect(() => store.listTrajectories({ page: 0 })).toThrow(/numbered from 1/);
    expect(() => store.listTrajectories({ status: 'done' as never })).toThrow(/Invalid status filter 'done'/);
  });

  it('aggregates counts, durations, usage and verdicts per collection and task', () => {
    store.updateTrajectory(ids.r1, {
      status: 'completed',
      started_at: '2024-01-01T00:00:00.000Z',
      ended_at: '2024-01-01T00:00:10.000Z',
      usage: { prompt_tokens: 100, completion_tokens: 20, total_tokens: 120, cost_usd: 0.5 },
      evaluation: { overall_passed: true, pass: 2, partial: 0, fail: 0 },
    });
    store.updateTrajectory(ids.r3, {
      status: 'failed',
      started_at: '2024-01-01T00:00:00.000Z',
      ended_at: '2024-01-01T00:00:30.000Z',
      usage: { prompt_tokens: 10, completion_tokens: 2, total_tokens: 12 },
      evaluation: { overall_passed: false, pass: 0, partial: 0, fail: 1 },
    });
    expect(store.stats({ collection: 'acme', task: 'report' })).toEqual({
      total: 3,
      by_status: { pending: 0, running: 1, completed: 1, failed: 1, cancelled: 0, archived: 0 },
      avg_duration_ms: 20_000,
      usage: { prompt_tokens: 110, completion_tokens: 22, total_tokens: 132, cost_usd: 0.5 },
      evaluated: 2,
      passed: 1,
    });
    expect(store.stats({ collection: 'other' })).toMatchObject({ total: 1, avg_duration_ms: null, evaluated: 0 });
    expect(store.stats().total).toBe(5);
  });

  describe('by evaluation, apart from status', () => {
    const EVALUATIONS: Record<string, Evaluation | null> = {
      r1: { overall_passed: true, pass: 2, partial: 0, fail: 0 },
      r2: { overall_passed: false, pass: 1, partial: 0, fail: 1 },
      // A passing report that left out a required output file has failed.
      r3: { overall_passed: true, pass: 1, partial: 0, fail: 0, missing_outputs: ['greeting.txt'] },
      o1: { overall_passed: null, pass: 0, partial: 0, fail: 0 },
      s1: null,
    };
    beforeEach(() => {
      for (const [name, evaluation] of Object.entries(EVALUATIONS)) store.updateTrajectory(ids[name], { status: 'completed', evaluation });
    });

    it('filters passed, failed and none as evaluationVerdict judges them', () => {
      expect(listed({ evaluation: 'passed' })).toEqual(['r1']);
      expect(listed({ evaluation: 'failed' })).toEqual(['r3', 'r2']);
      expect(listed({ evaluation: 'none' })).toEqual(['s1', 'o1']);
      expect(listed({ evaluation: 'failed', task: 'report', label: 'quality' })).toEqual(['r3']);
      for (const verdict of ['passed', 'failed', 'none'] as const) {
        const expected = Object.keys(EVALUATIONS).filter((k) => evaluationVerdict(EVALUATIONS[k]) === verdict);
        expect(listed({ evaluation: verdict }).sort()).toEqual(expected.sort());
        expect(store.listTrajectories({ evaluation: verdict }).total).toBe(expected.length);
      }
    });

    it('sorts failed first or passed first, newest first within each, across pages', () => {
      expect(listed({ sort: 'failed_first' })).toEqual(['r3', 'r2', 's1', 'o1', 'r1']);
      expect(listed({ sort: 'passed_first' })).toEqual(['r1', 's1', 'o1', 'r3', 'r2']);
      expect(listed({ sort: 'newest' })).toEqual(['s1', 'o1', 'r3', 'r2', 'r1']);
      expect(store.listTrajectories({ sort: 'failed_first', limit: 2, page: 2 }).trajectories.map((t) => t.id)).toEqual([ids.s1, ids.o1]);
    });

    it('rejects an unknown verdict or sort', () => {
      expect(() => store.listTrajectories({ evaluation: 'green' as never })).toThrow(/Invalid evaluation filter 'green': use one of passed, failed, none/);
      expect(() => store.listTrajectories({ sort: 'oldest' as never })).toThrow(/Invalid sort 'oldest': use one of newest, failed_first, passed_first/);
    });

    it('counts evaluated and passed by the same verdict', () => {
      expect(store.stats()).toMatchObject({ evaluated: 3, passed: 1 });
    });
  });
});

