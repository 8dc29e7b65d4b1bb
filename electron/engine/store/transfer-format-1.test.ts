// Format 1 (events with untyped payloads) still imports, and still displays from an
// existing database: both go through upgradeEvent. The document and the rows below are
// written by hand in the shapes the writers of format 1 produced.
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { aTrajectory, tempStore } from './temp-store.test-helper';

const time = '2026-01-01T00:00:00.000Z';
const v1 = (seq: number, type: string, step: string | null, payload: Record<string, unknown>, level = 'info') => ({ seq, time, level, type, step, payload });

/** What each format-1 event was, and what it reads as now. */
const CASES: [before: ReturnType<typeof v1>, after: { type: string; payload: Record<string, unknown> }][] = [
  [v1(1, 'status', null, { status: 'running' }), { type: 'status', payload: { status: 'running' } }],
  [v1(2, 'tool_call', 'agent', { id: 'c1', name: 'bash', arguments: { command: 'ls' } }), { type: 'tool_call', payload: { id: 'c1', name: 'bash', arguments: { command: 'ls' } } }],
  [v1(3, 'command_output', 'agent', { tool_call_id: 'c1', stream: 'stdout', text: 'a\n' }), { type: 'command_output', payload: { tool_call_id: 'c1', stream: 'stdout', text: 'a\n' } }],
  [v1(4, 'message', 'agent', { role: 'assistant', kind: 'reasoning', text: 'think' }), { type: 'reasoning', payload: { text: 'think' } }],
  [
    v1(5, 'log', 'agent', { message: 'model request failed (try 1 of 5), retrying in 1000 ms: 429 Rate limit reached', attempt: 1, delay_ms: 1000 }, 'warning'),
    { type: 'retry', payload: { what: 'model request', attempt: 1, max_attempts: 5, delay_ms: 1000, error: '429 Rate limit reached' } },
  ],
  // An agent's own usage report was a model_call beside the gateway's.
  [
    v1(6, 'model_call', 'agent', { model: 'm', usage: { prompt_tokens: 5, completion_tokens: 2, total_tokens: 7 }, latency_ms: 40, attempt: 1, finish_reason: 'stop' }),
    { type: 'usage', payload: { model: 'm', usage: { prompt_tokens: 5, completion_tokens: 2, total_tokens: 7 }, latency_ms: 40, attempt: 1, finish_reason: 'stop' } },
  ],
  [
    v1(7, 'model_call', 'gateway', { source: 'gateway', api: 'chat-completions', provider: 'openai', model: 'm', stream: false, http_status: 200, usage: null, cached_input_tokens: 0, latency_ms: 9, first_token_ms: null, cost_usd: null, error: null }),
    { type: 'model_call', payload: { source: 'gateway', api: 'chat-completions', provider: 'openai', model: 'm', stream: false, http_status: 200, usage: null, cached_input_tokens: 0, latency_ms: 9, first_token_ms: null, cost_usd: null, error: null } },
  ],
  [
    v1(8, 'model_call', 'passthrough', { provider: 'openai', model: 'm', stream: true, usage: null, error: null, http_status: 200, latency_ms: 3, first_token_ms: 1 }),
    { type: 'model_call', payload: { source: 'passthrough', provider: 'openai', model: 'm', stream: true, usage: null, error: null, http_status: 200, latency_ms: 3, first_token_ms: 1 } },
  ],
  [
    v1(9, 'model_call', 'ask', { model: 'm', usage: null, call_id: 'k1', attempt: 1 }),
    { type: 'model_call', payload: { source: 'workflow', model: 'm', usage: null, call_id: 'k1', attempt: 1 } },
  ],
  [v1(10, 'status', null, { status: 'resumed', completed_steps: ['s1'], resumed_at: 's2' }), { type: 'resume', payload: { completed_steps: ['s1'], resumed_at: 's2' } }],
  [v1(11, 'evaluation', 'evaluate', { message: 'no validation_report.json' }), { type: 'evaluation', payload: { message: 'no validation_report.json' } }],
  // What no schema fits is shown, not lost.
  [v1(12, 'tool_result', 'agent', { ok: false, nested: { a: [1] } }), { type: 'log', payload: { message: 'tool_result event this version cannot read: {"ok":false,"nested":{"a":[1]}}' } }],
  // A workflow step's retry was a progress event (its number of tries was not recorded).
  [
    v1(13, 'progress', 'fetch', { step: 'fetch', status: 'retrying', attempt: 2, error: 'model call failed with 503', delay_ms: 400, message: 'fetch attempt 2 failed, retrying in 400 ms: model call failed with 503' }, 'warning'),
    { type: 'retry', payload: { what: 'step fetch', attempt: 2, delay_ms: 400, error: 'model call failed with 503' } },
  ],
];

const v1Export = {
  format_version: 1,
  id: '1a2b3c4d',
  collection: 'acme',
  task: 'weekly-report',
  kind: 'runbook',
  status: 'completed',
  init_params: {},
  agent: 'builtin',
  model: 'm',
  created_at: time,
  started_at: time,
  ended_at: time,
  usage: null,
  evaluation: null,
  steps: {},
  labels: [],
  artifacts: [],
  events: CASES.map(([before]) => before),
};

const expected = CASES.map(([before, after]) => ({ seq: before.seq, time, level: before.level, step: before.step, ...after }));

describe('format 1', () => {
  it('imports a format-1 export with its events upgraded, and exports it as format 2', () => {
    const { store } = tempStore();
    const id = store.importTrajectory(JSON.parse(JSON.stringify(v1Export)));
    const doc = store.exportTrajectory(id);
    expect(doc.format_version).toBe(2);
    expect(doc.events).toEqual(expected);
    // Format 2 re-imports as it is.
    const again = tempStore().store;
    expect(again.exportTrajectory(again.importTrajectory(JSON.parse(JSON.stringify(doc))))).toEqual(doc);
  });

  it('reads format-1 rows of an existing database as format 2', () => {
    const { store, file } = tempStore();
    const { id } = store.createTrajectory(aTrajectory());
    const db = new Database(file);
    const insert = db.prepare('INSERT INTO events (trajectory_id, seq, time, level, type, step, payload) VALUES (?, ?, ?, ?, ?, ?, ?)');
    for (const [e] of CASES) insert.run(id, e.seq, e.time, e.level, e.type, e.step, JSON.stringify(e.payload));
    db.close();
    expect(store.listEvents(id, { limit: 100 })).toEqual(expected);
  });

  it('refuses a format-2 document whose event does not fit its type, naming the field', () => {
    const { store } = tempStore();
    const bad = { ...v1Export, format_version: 2, events: [v1(1, 'tool_call', null, { name: 'bash', arguments: {} })] };
    expect(() => store.importTrajectory(bad)).toThrow(/Invalid trajectory export: events\[0\]\.payload\.id: tool_call event: /);
    expect(store.listTrajectories().total).toBe(0);
  });
});
