import { describe, expect, it, onTestFinished } from 'vitest';
import { openStore, processOwnerToken, watchOtherWriters, type OtherWrites } from './index';
import { aTrajectory, tempStore } from './temp-store.test-helper';

/** `tempStore` and a second connection to its file (another process's, as far as SQLite can tell). */
function twoConnections() {
  const { file, store } = tempStore();
  const other = openStore(file);
  onTestFinished(() => other.close());
  return { store, other };
}

const anEvaluation = {
  name: 'nightly',
  runbook_path: '/runbooks/demo/hello/RUNBOOK.md',
  collection: 'demo',
  task: 'hello',
  content_hash: 'a'.repeat(64),
  version: null,
  cells: [{ agent: null, model: 'm', image: null, params: {}, executor: 'local' as const }],
  cases: [{ name: 'default', params: {} }],
  trials: 1,
  concurrency: { local: 1, remote: 4 },
  timeout_seconds: null,
  owner: 'host:1:aa:',
};

describe("other connections' writes", () => {
  it("data_version moves with another connection's commit, not with this one's", () => {
    const { store, other } = twoConnections();
    const writers = store.otherWriters();
    const before = writers.version();
    store.createTrajectory(aTrajectory());
    expect(writers.version()).toBe(before);
    other.createTrajectory(aTrajectory());
    expect(writers.version()).not.toBe(before);
  });

  it('reads the runs running now or created since, the evaluations running or changed since, never passthrough calls', () => {
    const { store, other } = twoConnections();
    const start = new Date(Date.now() - 1000).toISOString();
    const ended = other.createTrajectory(aTrajectory()).id;
    other.updateStatus(ended, 'completed');
    const call = other.createTrajectory(aTrajectory({ kind: 'passthrough', collection: 'openai', task: 'chat' })).id;
    const running = other.createTrajectory(aTrajectory({ kind: 'workflow' })).id;
    other.updateStatus(running, 'running');
    const evaluation = other.evaluations().create(anEvaluation, [{ cell: 0, case: 0, trial: 1, rerun_of: null, executor: 'local' }]);
    // A run this process owns (here through the other connection) is its own code's to announce.
    const mine = other.createTrajectory(aTrajectory({ owner: processOwnerToken() })).id;

    const writes = store.otherWriters().since(start);
    expect(writes.trajectories.sort()).toEqual([ended, running].sort());
    expect(writes.trajectories).not.toContain(call);
    expect(writes.trajectories).not.toContain(mine);
    expect(writes.evaluations).toEqual([{ id: evaluation, status: 'running' }]);
    expect(writes.suggestionSets).toEqual([]);
    // Later: only what is still live.
    const later = store.otherWriters().since(new Date(Date.now() + 60_000).toISOString());
    expect(later.trajectories).toEqual([running]);
    expect(later.evaluations).toEqual([{ id: evaluation, status: 'running' }]);
  });

  it('a look is bounded: of 250 runs running elsewhere, 200', () => {
    const { store, other } = twoConnections();
    const ids = Array.from({ length: 250 }, () => other.createTrajectory(aTrajectory()).id);
    const live = store.otherWriters().since(new Date(Date.now() + 60_000).toISOString()).trajectories;
    expect(live).toHaveLength(200);
    expect(ids).toEqual(expect.arrayContaining(live));
  });

  it('the watch announces what another connection wrote once it committed', async () => {
    const { store, other } = twoConnections();
    const heard: OtherWrites[] = [];
    let wake = () => {};
    const stop = watchOtherWriters(store.otherWriters(), (writes) => (heard.push(writes), wake()), 10);
    onTestFinished(stop);
    const id = other.createTrajectory(aTrajectory()).id;
    await new Promise<void>((resolve) => (wake = resolve));
    expect(heard.flatMap((w) => w.trajectories)).toContain(id);
  });
});
