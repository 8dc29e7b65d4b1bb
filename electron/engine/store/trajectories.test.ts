import { describe, expect, it } from 'vitest';
import { TrajectorySchema } from '../../../shared/trajectory';
import type { StoreChange } from './index';
import { aTrajectory, tempStore } from './temp-store.test-helper';

describe('trajectories', () => {
  it('creates trajectories with unique 8-hex ids in the shared Trajectory shape', () => {
    const { store } = tempStore();
    const created = Array.from({ length: 50 }, () => store.createTrajectory(aTrajectory({ init_params: { n: 1 } })));
    expect(new Set(created.map((t) => t.id)).size).toBe(50);
    for (const t of created) expect(t.id).toMatch(/^[0-9a-f]{8}$/);
    const fetched = store.getTrajectory(created[0].id);
    expect(TrajectorySchema.parse(fetched)).toEqual(fetched);
    expect(fetched).toMatchObject({ status: 'pending', init_params: { n: 1 }, steps: {}, labels: [], artifacts: [] });
    expect(store.getTrajectory('00000000')).toBeNull();
  });

  it('rejects bad input with the field named', () => {
    const { store } = tempStore();
    expect(() => store.createTrajectory(aTrajectory({ kind: 'batch' as never }))).toThrow(/Invalid trajectory: kind: /);
    const { id } = store.createTrajectory(aTrajectory());
    expect(() => store.updateStatus(id, 'done' as never)).toThrow(/Invalid trajectory update: status: /);
    expect(() => store.updateStatus('ffffffff', 'failed')).toThrow(
      expect.objectContaining({ code: 'not_found', message: expect.stringContaining("'ffffffff'") }),
    );
  });

  it('stamps start and end times on status changes and stores usage and evaluation', () => {
    const { store } = tempStore();
    const { id } = store.createTrajectory(aTrajectory());
    const running = store.updateStatus(id, 'running');
    expect(running.started_at).toEqual(expect.any(String));
    expect(running.ended_at).toBeNull();
    store.updateTrajectory(id, {
      usage: { prompt_tokens: 10, completion_tokens: 5, total_tokens: 15, cost_usd: 0.25 },
      evaluation: { overall_passed: false, pass: 1, partial: 1, fail: 2, report: { notes: 'x' } },
    });
    const failed = store.updateStatus(id, 'failed', 'boom');
    expect(failed).toMatchObject({ status: 'failed', error: 'boom', started_at: running.started_at });
    expect(failed.ended_at).toEqual(expect.any(String));
    expect(store.getTrajectory(id)).toMatchObject({
      usage: { prompt_tokens: 10, completion_tokens: 5, total_tokens: 15, cost_usd: 0.25 },
      evaluation: { overall_passed: false, report: { notes: 'x' } },
    });
  });

  it('updates statuses in a batch and reports unknown ids', () => {
    const { store } = tempStore();
    const a = store.createTrajectory(aTrajectory()).id;
    const b = store.createTrajectory(aTrajectory()).id;
    // An all-digit id is an integer-like key, which objects list first: compare as sets.
    const result = store.updateStatuses({ [a]: 'archived', [b]: 'cancelled', abcdef01: 'failed' });
    expect(result.updated.sort()).toEqual([a, b].sort());
    expect(result.missing).toEqual(['abcdef01']);
    expect(store.getTrajectory(a)?.status).toBe('archived');
    expect(store.getTrajectory(b)?.status).toBe('cancelled');
  });

  it('keeps steps as an object keyed by name, in first-seen order, merging updates', () => {
    const { store } = tempStore();
    const { id } = store.createTrajectory(aTrajectory());
    store.updateStep(id, 'fetch', { status: 'running', inputs: { url: 'u' } });
    store.updateStep(id, 'analyse', { status: 'pending' });
    store.updateStep(id, 'fetch', { status: 'completed', outputs: { rows: 3 } });
    const { steps } = store.getTrajectory(id)!;
    expect(Object.keys(steps)).toEqual(['fetch', 'analyse']);
    expect(steps.fetch).toMatchObject({ status: 'completed', inputs: { url: 'u' }, outputs: { rows: 3 } });
    expect(steps.fetch.started_at).toEqual(expect.any(String));
    expect(steps.fetch.ended_at).toEqual(expect.any(String));
    expect(() => store.updateStep('ffffffff', 's', {})).toThrow(expect.objectContaining({ code: 'not_found' }));
  });

  it('adds and removes labels', () => {
    const { store } = tempStore();
    const { id } = store.createTrajectory(aTrajectory());
    store.addLabel(id, { key: 'quality', value: 'good', author: 'ana' });
    store.addLabel(id, { key: 'topic', value: 'billing', author: 'ana' });
    store.addLabel(id, { key: 'topic', value: 'refunds', author: 'bo' });
    store.addLabel(id, { key: 'quality', value: 'good', author: 'bo' });
    expect(store.getTrajectory(id)!.labels.map(({ key, value, author }) => [key, value, author])).toEqual([
      ['quality', 'good', 'bo'],
      ['topic', 'billing', 'ana'],
      ['topic', 'refunds', 'bo'],
    ]);
    expect(store.removeLabel(id, 'topic', 'billing')).toBe(1);
    expect(store.removeLabel(id, 'quality')).toBe(1);
    expect(store.removeLabel(id, 'absent')).toBe(0);
    expect(store.getTrajectory(id)!.labels.map((l) => l.value)).toEqual(['refunds']);
    expect(() => store.addLabel(id, { key: '', value: 'v', author: 'a' })).toThrow(/Invalid label: key: /);
  });

  it('records artifacts, one per path, listed by path', () => {
    const { store } = tempStore();
    const { id } = store.createTrajectory(aTrajectory());
    store.addArtifact(id, { path: 'results/report.md', size: 10, sha256: 'a'.repeat(64), media_type: 'text/markdown' });
    store.addArtifact(id, { path: 'results/chart.png', size: 99, sha256: 'b'.repeat(64), media_type: 'image/png' });
    store.addArtifact(id, { path: 'results/report.md', size: 12, sha256: 'c'.repeat(64), media_type: 'text/markdown' });
    expect(store.getTrajectory(id)!.artifacts).toEqual([
      { path: 'results/chart.png', size: 99, sha256: 'b'.repeat(64), media_type: 'image/png' },
      { path: 'results/report.md', size: 12, sha256: 'c'.repeat(64), media_type: 'text/markdown' },
    ]);
  });

  it('notifies listeners of the table and trajectory each write touched', () => {
    const { store } = tempStore();
    const seen: StoreChange[] = [];
    const unsubscribe = store.onChange((change) => seen.push(change));
    const { id } = store.createTrajectory(aTrajectory());
    store.updateStep(id, 's', {});
    store.addLabel(id, { key: 'k', value: 'v', author: 'a' });
    store.addArtifact(id, { path: 'p', size: 1, sha256: 'x', media_type: 'text/plain' });
    store.eventWriter(id).append({ level: 'info', type: 'log', payload: { message: 'x' } });
    store.eventWriter(id).flush();
    unsubscribe();
    store.updateStatus(id, 'running');
    expect(seen).toEqual(
      ['trajectories', 'steps', 'labels', 'artifacts', 'events'].map((table) => ({ table, trajectoryId: id })),
    );
  });

  it('marks running and pending trajectories of dead owners as interrupted', () => {
    const { store } = tempStore();
    const dead = store.createTrajectory(aTrajectory({ owner: 'host:1:dead', status: 'running' })).id;
    const deadPending = store.createTrajectory(aTrajectory({ owner: 'host:2:dead' })).id;
    const alive = store.createTrajectory(aTrajectory({ owner: 'host:3:alive', status: 'running' })).id;
    const finished = store.createTrajectory(aTrajectory({ owner: 'host:4:dead', status: 'completed' })).id;
    const ownerless = store.createTrajectory(aTrajectory({ status: 'running' })).id;
    store.updateStep(dead, 'build', { status: 'running' });
    store.updateStep(dead, 'deploy', { status: 'pending' });

    const asked: string[] = [];
    const ids = store.markInterrupted((owner) => (asked.push(owner), owner.endsWith(':alive')));

    expect(ids.sort()).toEqual([dead, deadPending].sort());
    expect(asked.sort()).toEqual(['host:1:dead', 'host:2:dead', 'host:3:alive']);
    expect(store.getTrajectory(dead)).toMatchObject({
      status: 'failed',
      error: 'interrupted',
      steps: { build: { status: 'failed' }, deploy: { status: 'pending' } },
    });
    expect(store.getTrajectory(dead)!.ended_at).toEqual(expect.any(String));
    expect(store.getTrajectory(alive)!.status).toBe('running');
    expect(store.getTrajectory(finished)!.status).toBe('completed');
    expect(store.getTrajectory(ownerless)!.status).toBe('running');
    expect(store.markInterrupted(() => false)).toEqual([alive]);
  });

  it('refuses use after close with a clear error', () => {
    const { store } = tempStore();
    store.close();
    expect(() => store.listTrajectories()).toThrow(expect.objectContaining({ code: 'closed' }));
  });
});
