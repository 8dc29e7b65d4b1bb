import { describe, expect, it } from 'vitest';
import type { NewEvaluation, TrialSlot } from './evaluations';
import { tempStore } from './temp-store.test-helper';

const SECRET = 'sk-shared-0123456789abcdef';

const anEvaluation = (overrides: Partial<NewEvaluation> = {}): NewEvaluation => ({
  name: 'nightly',
  runbook_path: '/runbooks/demo/hello/RUNBOOK.md',
  collection: 'demo',
  task: 'hello',
  content_hash: 'a'.repeat(64),
  version: '1.0.0',
  cells: [{ agent: null, model: 'm', image: null, params: { token: SECRET }, executor: 'local' }],
  cases: [{ name: 'default', params: { name: 'Ada' } }],
  trials: 2,
  concurrency: { local: 2, remote: 4 },
  timeout_seconds: null,
  owner: 'host:1:aa:',
  ...overrides,
});
const slots: TrialSlot[] = [
  { cell: 0, case: 0, trial: 1, rerun_of: null, executor: 'local' },
  { cell: 0, case: 0, trial: 2, rerun_of: null, executor: 'local' },
];
const end = { outcome: 'failed' as const, error_kind: 'verdict', error: `check failed with ${SECRET}`, stages: [{ name: 'hello', outcome: 'fail' as const, message: SECRET }], duration_ms: 1200, input_tokens: 10, output_tokens: 5, cost_usd: 0.01 };

describe('the evaluations store', () => {
  it('stores an evaluation with its plan, every trial pending; a trial begins once its run id is committed and ends once', () => {
    const { store } = tempStore();
    const evaluations = store.evaluations();
    const id = evaluations.create(anEvaluation(), slots);
    expect(evaluations.get(id)).toMatchObject({ id, status: 'running', trials: 2, concurrency: { local: 2, remote: 4 }, owner: 'host:1:aa:' });
    expect(evaluations.trials(id).map((t) => [t.trial, t.state, t.trajectory_id])).toEqual([
      [1, 'pending', null],
      [2, 'pending', null],
    ]);
    expect(evaluations.beginTrial(id, slots[0], { trajectory_id: 'abcdef01', attempt: 1, superseded: [] })).toBe(true);
    expect(evaluations.trialOf('abcdef01')).toEqual({ evaluation_id: id, cell: 0, case: 0, trial: 1 });
    expect(evaluations.endTrial(id, slots[0], end, 'abcdef01')).toBe(true);
    // Ended is final: neither begun nor ended again.
    expect(evaluations.endTrial(id, slots[0], { ...end, outcome: 'passed' }, 'abcdef01')).toBe(false);
    expect(evaluations.beginTrial(id, slots[0], { trajectory_id: 'abcdef02', attempt: 2, superseded: ['abcdef01'] })).toBe(false);
    expect(evaluations.trial(id, slots[0])).toMatchObject({ state: 'ended', outcome: 'failed', trajectory_id: 'abcdef01', attempt: 1 });
    expect(evaluations.finish(id, 'completed')).toBe(true);
    expect(evaluations.finish(id, 'cancelled')).toBe(false);
    expect(evaluations.get(id)).toMatchObject({ status: 'completed' });
  });

  it('redacts the shared secrets it writes (parameters, errors, stages) and puts them back for a resume only', () => {
    const { store } = tempStore();
    store.setSharedSecrets({ SHARED_TOKEN: SECRET });
    const evaluations = store.evaluations();
    const id = evaluations.create(anEvaluation(), slots);
    evaluations.endTrial(id, slots[0], end, null);
    const stored = JSON.stringify([evaluations.get(id), evaluations.trials(id)]);
    expect(stored).not.toContain(SECRET);
    expect(stored).toContain('[REDACTED:SHARED_TOKEN]');
    expect(evaluations.resumable(id).cells[0].params.token).toBe(SECRET);
  });

  it('claims the running evaluations of a dead owner once, and lists them by runbook, newest first', () => {
    const { store } = tempStore();
    const evaluations = store.evaluations();
    const dead = evaluations.create(anEvaluation({ owner: 'dead' }), slots);
    const alive = evaluations.create(anEvaluation({ owner: 'alive', task: 'other' }), slots);
    const isAlive = (owner: string) => owner === 'alive' || owner === 'me';
    expect(evaluations.claimInterrupted('me', isAlive)).toEqual([dead]);
    expect(evaluations.claimInterrupted('someone-else', isAlive)).toEqual([]);
    expect(evaluations.get(dead)?.owner).toBe('me');
    expect(evaluations.list({ collection: 'demo', task: 'other', limit: 10 }).map((e) => e.id)).toEqual([alive]);
    expect(evaluations.list({ limit: 10 })).toHaveLength(2);
    // Re-runs join the plan and make an ended evaluation run again.
    evaluations.finish(dead, 'completed');
    evaluations.addTrials(dead, [{ cell: 0, case: 0, trial: 3, rerun_of: 1, executor: 'local' }], 'me');
    expect(evaluations.get(dead)).toMatchObject({ status: 'running', ended_at: null });
    expect(evaluations.trials(dead).map((t) => t.rerun_of)).toEqual([null, null, 1]);
  });
});
