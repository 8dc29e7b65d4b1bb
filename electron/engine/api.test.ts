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

  it('sends one trajectory.changed per trajectory per commit, with the new header', async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'jetty-engine-'));
    engine = await createEngine({ dataDir: dir, env: {} });
    const seen: Trajectory[] = [];
    engine.bus.subscribe('trajectory.changed', (t) => seen.push(t));

    const { id } = await engine.api['trajectory.import']({ document: summary });
    await new Promise((r) => setImmediate(r));
    expect(seen.map((t) => t.id)).toEqual([id]);

    await engine.api['label.add']({ id, label: { key: 'quality', value: 'high', author: 'ada' } });
    await new Promise((r) => setImmediate(r));
    expect(seen).toHaveLength(2);
    expect(seen[1].labels).toMatchObject([{ key: 'quality', value: 'high', author: 'ada' }]);
  });

  it('rejects invalid input with a message naming the field, through the contract', async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'jetty-engine-'));
    engine = await createEngine({ dataDir: dir, env: {} });
    await expect(dispatch(engine.api, 'trajectory.get', { id: '../etc' })).rejects.toThrow(/trajectory\.get: id: a trajectory id is 8 hex characters/);
  });
});
