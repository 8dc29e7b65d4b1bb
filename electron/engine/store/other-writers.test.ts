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

  it('reads the evaluations running or changed since, never those this process owns', () => {
    const { store, other } = twoConnections();
    const start = new Date(Date.now() - 1000).toISOString();
    const slot = [{ cell: 0, case: 0, trial: 1, rerun_of: null, executor: 'local' as const }];
    const evaluation = other.evaluations().create(anEvaluation, slot);
    // One this process owns (here through the other connection) is its own code's to announce.
    other.evaluations().create({ ...anEvaluation, owner: processOwnerToken() }, slot);
    const writes = store.otherWriters().since(start);
    expect(writes.evaluations).toEqual([{ id: evaluation, status: 'running' }]);
    expect(writes.suggestionSets).toEqual([]);
    // Later: still, while it runs.
    expect(store.otherWriters().since(new Date(Date.now() + 60_000).toISOString()).evaluations).toEqual([{ id: evaluation, status: 'running' }]);
  });

  it('the watch announces what another connection wrote once it committed', async () => {
    const { store, other } = twoConnections();
    const heard: OtherWrites[] = [];
    let wake = () => {};
    const stop = watchOtherWriters(store.otherWriters(), (writes) => (heard.push(writes), wake()), 10);
    onTestFinished(stop);
    const id = other.evaluations().create(anEvaluation, [{ cell: 0, case: 0, trial: 1, rerun_of: null, executor: 'local' }]);
    await new Promise<void>((resolve) => (wake = resolve));
    expect(heard.flatMap((w) => w.evaluations.map((e) => e.id))).toContain(id);
  });
});
