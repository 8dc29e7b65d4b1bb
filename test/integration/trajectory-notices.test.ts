// trajectory.changed through a real engine over a real SQLite file: bounded per trajectory
// while it keeps changing, its last state always sent, a run's end sent at once.
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { Trajectory } from '../../shared/trajectory';
import { createEngine, type Engine } from '../../electron/engine/api';
import { NOTICE_INTERVAL_MS } from '../../electron/engine/base/trajectory-notices';

const nextTurn = () => new Promise((resolve) => setImmediate(resolve));

describe('trajectory change notices', () => {
  let engine: Engine | undefined;
  let dir: string | undefined;
  afterEach(async () => {
    await engine?.close();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  const start = async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'jetty-notices-'));
    engine = await createEngine({ dataDir: dir, env: {} });
    const { store } = engine.services;
    const { id } = store.createTrajectory({ collection: 'acme', task: 'deck', kind: 'workflow', status: 'running' });
    const seen: Trajectory[] = [];
    const waiters = new Set<{ until(t: Trajectory): boolean; resolve(): void }>();
    engine.bus.subscribe('trajectory.changed', (t) => {
      if (t.id !== id) return;
      seen.push(t);
      for (const waiter of waiters) {
        if (!waiter.until(t)) continue;
        waiters.delete(waiter);
        waiter.resolve();
      }
    });
    /** Resolves at the first notice from now on that `until` accepts. */
    const notice = (until: (t: Trajectory) => boolean) => new Promise<void>((resolve) => waiters.add({ until, resolve }));
    await notice(() => true);
    seen.length = 0;
    return { store, id, seen, notice };
  };

  it('1,000 header changes in a burst, one a turn over two tables, give one notice per interval; the last carries the final state', async () => {
    const { store, id, seen, notice } = await start();
    const last = notice((t) => t.error === 'change 999');
    const started = performance.now();
    for (let i = 0; i < 1000; i++) {
      store.updateTrajectory(id, { error: `change ${i}` });
      store.updateStep(id, 'work', { status: 'running', outputs: { done: i } });
      await nextTurn();
    }
    await last;
    const elapsed = performance.now() - started;
    // A leading notice, then at most one per interval that ends after it (+1: a timer may round down by a millisecond).
    expect(seen.length).toBeLessThanOrEqual(Math.floor(elapsed / NOTICE_INTERVAL_MS) + 2);
    expect(seen.at(-1)).toMatchObject({ error: 'change 999', steps: { work: { outputs: { done: 999 } } } });
    expect(seen.filter((t) => t.error === 'change 999')).toHaveLength(1);
  });

  it("a run's end is sent on the next turn even inside the interval of the notice before", async () => {
    const { store, id, seen, notice } = await start();
    store.updateTrajectory(id, { error: 'first' });
    await notice((t) => t.error === 'first');
    store.updateStep(id, 'work', { status: 'completed' });
    await nextTurn();
    expect(seen).toHaveLength(1);
    store.updateStatus(id, 'completed');
    await nextTurn();
    expect(seen.map((t) => t.status)).toEqual(['running', 'completed']);
    expect(seen[1].steps.work.status).toBe('completed');
  });

  it('sends nothing once the engine is closed, though a change was held', async () => {
    const { store, id, seen, notice } = await start();
    store.updateTrajectory(id, { error: 'first' });
    await notice((t) => t.error === 'first');
    store.updateTrajectory(id, { error: 'held' });
    await engine!.close();
    // A timer due after the held notice's fires after it (timers fire in deadline order), loaded machine or not.
    await new Promise((resolve) => setTimeout(resolve, NOTICE_INTERVAL_MS * 2));
    expect(seen.map((t) => t.error)).toEqual(['first']);
    engine = undefined;
  });
});
