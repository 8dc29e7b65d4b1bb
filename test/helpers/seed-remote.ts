import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { openStore } from '../../electron/engine/store';

/** An export of a finished trajectory with `events` small log events, in collection/task. */
export function seededTrajectory(id: string, events: number, collection: string, task: string, createdAt = '2026-01-01T00:00:00.000Z') {
  return {
    format_version: 2,
    id,
    collection,
    task,
    kind: 'runbook',
    status: 'completed',
    error: null,
    init_params: {},
    agent: 'builtin',
    model: 'scripted',
    created_at: createdAt,
    started_at: createdAt,
    ended_at: createdAt,
    usage: null,
    evaluation: null,
    steps: {},
    labels: [],
    artifacts: [],
    events: Array.from({ length: events }, (_, i) => ({ seq: i + 1, time: createdAt, level: 'info', type: 'log', step: null, payload: { message: `event ${i + 1}` } })),
  };
}

/** Writes trajectories into a fresh data folder's store (a remote `jetty serve` then serves them). */
export async function seedDataDir(dataDir: string, docs: unknown[]): Promise<void> {
  await mkdir(dataDir, { recursive: true });
  const store = openStore(path.join(dataDir, 'jetty.db'));
  try {
    for (let i = 0; i < docs.length; i += 50) store.importTrajectories(docs.slice(i, i + 50));
  } finally {
    store.close();
  }
}
