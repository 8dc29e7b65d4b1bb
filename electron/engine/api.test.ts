import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { dispatch } from '../../shared/rpc';
import type { Trajectory } from '../../shared/trajectory';
import { createEngine, type Engine } from './api';

const summary = {
  collection: 'acme', task: 'deck', trajectory_id: '0123abcd', ran_at: '2026-06-07T04:10:30Z',
  duration_seconds: 10, status: 'completed', eval: { overall_passed: true, pass: 2, fail: 0 },
};

describe('the engine', () => {
  let engine: Engine | undefined;
  let dir: string | undefined;
  afterEach(async () => {
    await engine?.close();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('announces stored trajectories by id, one event per turn; later changes with the new header', async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'jetty-engine-'));
    engine = await createEngine({ dataDir: dir, env: {} });
    const seen: Trajectory[] = [];
    const added: string[][] = [];
    engine.bus.subscribe('trajectory.changed', (t) => seen.push(t));
    engine.bus.subscribe('trajectories.added', ({ ids }) => added.push(ids));

    const imports = await Promise.all([0, 1, 2].map(() => engine!.api['trajectory.import']({ document: summary })));
    await new Promise((r) => setImmediate(r));
    expect(added).toEqual([imports.map((i) => i.id)]);
    expect(seen).toEqual([]);

    const id = imports[0].id;
    await engine.api['label.add']({ id, label: { key: 'quality', value: 'high', author: 'ada' } });
    await engine.api['label.add']({ id, label: { key: 'quality', value: 'low', author: 'ada' } });
    await new Promise((r) => setImmediate(r));
    expect(seen.map((t) => t.id)).toEqual([id]);
    expect(seen[0].labels.map((l) => l.value).sort()).toEqual(['high', 'low']);
    expect(added).toHaveLength(1);
  });

  it('rejects invalid input with a message naming the field, through the contract', async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'jetty-engine-'));
    engine = await createEngine({ dataDir: dir, env: {} });
    await expect(dispatch(engine.api, 'trajectory.get', { id: '../etc' })).rejects.toThrow(/trajectory\.get: id: a trajectory id is 8 hex characters/);
  });
});
