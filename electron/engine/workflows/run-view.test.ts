import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { tempStore } from '../store/temp-store.test-helper';
import { workflowRunView } from './run-view';

describe('workflow run view', () => {
  it("lists each step's retries from its retry events, and from the retrying progress events older versions stored", () => {
    const { store, file } = tempStore();
    const journal = store.workflowJournal();
    const document = { step_configs: { fetch: { activity: 'litellm_chat' }, draw: { activity: 'replicate_text2image' }, after: { activity: 'text_echo' } }, steps: ['fetch', 'draw', 'after'] };
    const run = journal.createRun({ collection: 'wf', task: 'flaky', document, init_params: {}, owner: 'test' });
    journal.appendEvents(run.id, [
      { level: 'warning', type: 'retry', step: 'fetch', payload: { what: 'step fetch', attempt: 1, max_attempts: 5, delay_ms: 200, error: 'model call failed with 500' } },
      { level: 'warning', type: 'retry', step: 'fetch', payload: { what: 'step fetch', attempt: 2, max_attempts: 5, delay_ms: 400, error: 'model call failed with 503' } },
    ]);
    // A retry as an older version stored it.
    const seq = store.listEvents(run.id, { limit: 100 }).at(-1)!.seq + 1;
    const old = { step: 'draw', status: 'retrying', attempt: 1, error: 'replicate call failed with 429', delay_ms: 1000, message: 'draw attempt 1 failed, retrying in 1000 ms: replicate call failed with 429' };
    const db = new Database(file);
    db.prepare('INSERT INTO events (trajectory_id, seq, time, level, type, step, payload) VALUES (?, ?, ?, ?, ?, ?, ?)').run(run.id, seq, new Date().toISOString(), 'warning', 'progress', 'draw', JSON.stringify(old));
    db.close();

    const view = workflowRunView(store, run.id)!;
    expect(view.steps.map((s) => [s.name, s.retries])).toEqual([
      [
        'fetch',
        [
          { attempt: 1, error: 'model call failed with 500', delay_ms: 200 },
          { attempt: 2, error: 'model call failed with 503', delay_ms: 400 },
        ],
      ],
      ['draw', [{ attempt: 1, error: 'replicate call failed with 429', delay_ms: 1000 }]],
      ['after', []],
    ]);
  });
});
