import { describe, expect, it } from 'vitest';
import { tempStore } from './temp-store.test-helper';

const SECRET = 'sk-shared-0123456789abcdef';
const edit = { lens: 'timeouts', title: 'Bound the step', rationale: `it printed ${SECRET}`, evidence: [{ trajectory_id: 'abcdef01', step: 3 }], find: 'a', replace: 'b' };

describe('the suggestions store', () => {
  it('stores the analysis with the set’s next state, numbers kept edits first, ends each once, and redacts what the model wrote', () => {
    const { store } = tempStore();
    store.setSharedSecrets({ SHARED_TOKEN: SECRET });
    const evaluation = store.evaluations().create(
      { name: 'e', runbook_path: '/r/RUNBOOK.md', collection: 'c', task: 't', content_hash: 'h', version: null, cells: [], cases: [], trials: 1, concurrency: { local: 1, remote: 1 }, timeout_seconds: null, owner: 'x' },
      [],
    );
    const sets = store.suggestions();
    const id = sets.create({ evaluation_id: evaluation, model: 'openai/m', runbook_hash: 'h', owner: 'host:1:aa:' });
    expect(sets.get(id)).toMatchObject({ state: 'analyzing', ended_at: null });
    sets.analysed(id, [{ ...edit, edited_hash: 'e1' }], [{ ...edit, title: 'Refused', reason: `bad: ${SECRET}` }]);
    expect(sets.get(id)).toMatchObject({ state: 'evaluating' });
    expect(sets.suggestions(id).map((s) => [s.number, s.state, s.title])).toEqual([
      [1, 'evaluating', 'Bound the step'],
      [2, 'dropped', 'Refused'],
    ]);
    expect(JSON.stringify(sets.suggestions(id))).not.toContain(SECRET);
    expect(sets.suggestions(id)[1].reason).toBe('bad: [REDACTED:SHARED_TOKEN]');
    const cells = [{ label: 'c', k: 1, before: { trials: 1, passed: 0, pass_rate: 0, pass_hat_k: 0 }, after: { trials: 1, passed: 1, pass_rate: 1, pass_hat_k: 1 }, movement: 'up' as const }];
    expect(sets.evaluated(id, 1, { verdict: 'improved', cells })).toBe(true);
    expect(sets.evaluated(id, 1, { reason: 'again' })).toBe(false);
    expect(sets.suggestions(id)[0]).toMatchObject({ state: 'evaluated', verdict: 'improved', cells });
    expect(sets.setState(id, 'ready')).toBe(true);
    expect(sets.setState(id, 'failed', 'late')).toBe(false);
    expect(sets.get(id)).toMatchObject({ state: 'ready', error: null, ended_at: expect.any(String) as unknown });
    // Only unfinished sets of dead owners are claimed.
    const left = sets.create({ evaluation_id: evaluation, model: 'openai/m', runbook_hash: 'h', owner: 'dead' });
    expect(sets.claimInterrupted('me', (owner) => owner !== 'dead').map((s) => s.id)).toEqual([left]);
    expect(sets.claimInterrupted('other', (owner) => owner === 'me')).toEqual([]);
  });
});
