import path from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { migrate } from './migrate';
import { MIGRATIONS } from './migrations';
import { openStore, type Store } from './index';
import { aTrajectory, tempDir, tempStore } from './temp-store.test-helper';

const ids = (store: Store, query: Parameters<Store['listTrajectories']>[0]) => store.listTrajectories(query).trajectories.map((t) => t.id);

/** A run with a tool call, its command output and result, written through the event writer. */
function runWith(store: Store, words: { command: string; output: string }, overrides: Parameters<typeof aTrajectory>[0] = {}) {
  const { id } = store.createTrajectory(aTrajectory(overrides));
  const writer = store.eventWriter(id);
  writer.append({ level: 'info', type: 'message', payload: { role: 'assistant', text: 'Let me look at the files.' } });
  writer.append({ level: 'info', type: 'tool_call', payload: { id: 'call_1', name: 'bash', arguments: { command: words.command } } });
  writer.append({ level: 'info', type: 'command_output', payload: { stream: 'stdout', text: words.output, tool_call_id: 'call_1' } });
  writer.append({ level: 'info', type: 'tool_result', payload: { id: 'call_1', name: 'bash', ok: true, output: `${words.output}\n[exit code 0]` } });
  writer.close();
  return id;
}

describe('full-text search', () => {
  it('finds runs by the words of their events as they are written, with where the first match is', () => {
    // Every word of the query is held somewhere in the run, not necessarily in one event.
    const { store } = tempStore();
    const a = runWith(store, { command: 'grep -r invoices /data', output: 'quarterly invoices reconciled' });
    const b = runWith(store, { command: 'ls /tmp', output: 'nothing here' });
    expect(ids(store, { text: 'invoices' })).toEqual([a]);
    expect(ids(store, { text: 'quarterly reconciled' })).toEqual([a]);
    expect(ids(store, { text: 'quarterly nothing' })).toEqual([]);
    expect(ids(store, { text: 'grep reconciled' })).toEqual([a]);
    // The last word matches as a prefix while it is being typed; a finished word does not.
    expect(ids(store, { text: 'reconc' })).toEqual([a]);
    expect(ids(store, { text: 'reconc ' })).toEqual([]);
    // Punctuation and FTS5 syntax in the box are plain text.
    expect(ids(store, { text: '"nothing" (here) AND' })).toEqual([]);
    expect(ids(store, { text: '"nothing" (here) *' })).toEqual([b]);
    const page = store.listTrajectories({ text: 'invoices' });
    expect(page.hits?.[a]).toEqual({ where: 'event', seq: 2, label: 'tool call', snippet: 'bash grep -r invoices /data' });
    // The header's words (id, task, parameters) match too, without a hit.
    expect(ids(store, { text: a })).toEqual([a]);
    expect(store.listTrajectories({ text: a }).hits?.[a]).toBeUndefined();
  });

  it('indexes only redacted text: a secret value is not found, its marker is', () => {
    const { store } = tempStore();
    const { id } = store.createTrajectory({ ...aTrajectory(), secrets: { API_TOKEN: 'tok-zebra-99-quokka' } });
    const writer = store.eventWriter(id);
    writer.append({ level: 'info', type: 'command_output', payload: { stream: 'stdout', text: 'token is tok-zebra-99-quokka' } });
    writer.close();
    expect(ids(store, { text: 'quokka' })).toEqual([]);
    expect(ids(store, { text: 'zebra' })).toEqual([]);
    expect(ids(store, { text: 'REDACTED API_TOKEN' })).toEqual([id]);
  });

  it('finds model prompts and completions, and result files (each indexed once)', () => {
    const { store } = tempStore();
    const { id } = store.createTrajectory(aTrajectory());
    const refs = store.conversations().chain(id).add([{ role: 'system', text: 'You are a careful archivist.' }], { role: 'assistant', text: 'Catalogued the manuscripts.', toolCalls: [] });
    store.conversations().add(id, refs.rows);
    expect(refs.completionRef).toBeTruthy();
    expect(ids(store, { text: 'archivist' })).toEqual([id]);
    expect(store.listTrajectories({ text: 'manuscripts' }).hits?.[id]).toMatchObject({ where: 'message', seq: null, label: 'model prompt or completion', snippet: 'Catalogued the manuscripts.' });
    // Once the model call that answered it is recorded, the completion's hit opens the replay there (a prompt's message has no such call).
    const writer = store.eventWriter(id);
    writer.append({ level: 'info', type: 'status', payload: { status: 'running' } });
    const call = { source: 'gateway', api: 'chat-completions', provider: 'openai', model: 'm', stream: false, http_status: 200, usage: null, cached_input_tokens: 0, latency_ms: 9, first_token_ms: null, cost_usd: null, error: null } as const;
    writer.append({ level: 'info', type: 'model_call', payload: { ...call, prompt_ref: refs.promptRef, completion_ref: refs.completionRef } });
    writer.close();
    expect(store.listTrajectories({ text: 'manuscripts' }).hits?.[id]).toMatchObject({ where: 'message', seq: 2 });
    expect(store.listTrajectories({ text: 'archivist' }).hits?.[id]).toMatchObject({ where: 'message', seq: null });

    store.indexResultFile(id, 'summary.md', '# Summary\nThe lighthouse keeper logged 12 ships.');
    expect(store.isResultFileIndexed(id, 'summary.md')).toBe(true);
    expect(store.listTrajectories({ text: 'lighthouse' }).hits?.[id]).toMatchObject({ where: 'artifact', label: 'result file summary.md' });
    store.indexResultFile(id, 'summary.md', '# Summary\nNo ships today.');
    expect(ids(store, { text: 'today' })).toEqual([]);
  });

  it('filters by agent, model and creation time, and sorts by a column either way', () => {
    const { store } = tempStore();
    const a = store.createTrajectory(aTrajectory({ agent: 'codex', model: 'openai/gpt-4o' })).id;
    const b = store.createTrajectory(aTrajectory({ agent: 'builtin', model: 'scripted' })).id;
    store.updateTrajectory(a, { usage: { prompt_tokens: 10, completion_tokens: 5, total_tokens: 15 }, status: 'completed' });
    store.updateTrajectory(b, { usage: { prompt_tokens: 100, completion_tokens: 5, total_tokens: 105 }, status: 'failed' });
    expect(ids(store, { agent: 'codex' })).toEqual([a]);
    expect(ids(store, { model: 'scripted' })).toEqual([b]);
    expect(ids(store, { since: '2000-01-01', until: '2999-01-01' }).sort()).toEqual([a, b].sort());
    expect(ids(store, { since: '2999-01-01' })).toEqual([]);
    expect(() => store.listTrajectories({ since: 'yesterday-ish' })).toThrow(/Invalid since 'yesterday-ish'/);
    expect(ids(store, { orderBy: 'tokens', direction: 'asc' })).toEqual([a, b]);
    expect(ids(store, { orderBy: 'tokens', direction: 'desc' })).toEqual([b, a]);
    expect(ids(store, { orderBy: 'status', direction: 'asc' })).toEqual([a, b]);
    expect(store.trajectoryFacets()).toEqual({ agents: ['builtin', 'codex'], models: ['openai/gpt-4o', 'scripted'], labels: [] });
  });
});

describe('trajectory links', () => {
  /** A workflow with a model call (a passthrough trajectory), a fan-out child and a run_runbook run. */
  function workflowWithChildren(store: Store) {
    const journal = store.workflowJournal();
    const workflow = journal.createRun({ collection: 'demo', task: 'greet', document: {}, init_params: {}, owner: 'me' });
    const call = store.createTrajectory(aTrajectory({ kind: 'passthrough', collection: 'openai', task: 'chat' })).id;
    const writer = store.eventWriter(workflow.id);
    writer.append({ level: 'info', type: 'model_call', step: 'ask', payload: { source: 'workflow', model: 'openai/scripted', usage: null, call_id: call, attempt: 1 } });
    writer.close();
    const child = journal.createRun({ collection: 'demo', task: 'item', document: {}, init_params: {}, owner: 'me', parent: { id: workflow.id, step: 'each', index: 0 } });
    const runbook = store.createTrajectory(aTrajectory({ task: 'secret-report' })).id;
    store.updateStep(workflow.id, 'report', { outputs: { trajectory_id: runbook } });
    const loose = store.createTrajectory(aTrajectory({ kind: 'passthrough', collection: 'openai', task: 'chat' })).id;
    return { workflow: workflow.id, call, child: child.id, runbook, loose };
  }

  it('nests a workflow’s model calls, fan-out children and run_runbook runs under it', () => {
    const { store } = tempStore();
    const t = workflowWithChildren(store);
    expect(ids(store, {}).sort()).toEqual(Object.values(t).sort());
    expect(ids(store, { topLevel: true }).sort()).toEqual([t.workflow, t.loose].sort());
    expect(store.listTrajectories({ topLevel: true }).children).toEqual({ [t.workflow]: 3 });
    const { children, total } = store.trajectoryChildren(t.workflow, 10);
    expect(total).toBe(3);
    expect(children.map((c) => [c.trajectory.id, c.kind, c.step])).toEqual([
      [t.call, 'call', 'ask'],
      [t.child, 'child', 'each'],
      [t.runbook, 'runbook', 'report'],
    ]);
    expect(store.trajectoryRelations(t.call)).toMatchObject({ parent: { id: t.workflow, kind: 'call', step: 'ask' }, rerunOf: null, origin: null });
    expect(store.trajectoryRelations(t.workflow).children).toBe(3);
  });

  it('a run_runbook step journaled as a workflow does it (begun, its run checkpointed, ended) links its run once', () => {
    const { store } = tempStore();
    const journal = store.workflowJournal();
    const workflow = journal.createRun({ collection: 'demo', task: 'greet', document: {}, init_params: {}, owner: 'me' }).id;
    const runbook = store.createTrajectory(aTrajectory({ task: 'secret-report' })).id;
    journal.beginStep(workflow, { step: 'run', position: 0, attempt: 1, inputs: {}, idempotency_key: 'k', events: [] });
    journal.checkpointStep(workflow, 'run', { trajectory_id: runbook }, []);
    // The step's end writes its outputs again, through an upsert: the link is there already.
    journal.endStep(workflow, { step: 'run', position: 0, status: 'completed', attempt: 1, inputs: {}, outputs: { trajectory_id: runbook }, started_at: new Date().toISOString(), events: [] });
    expect(store.trajectoryChildren(workflow, 10).children.map((c) => [c.trajectory.id, c.kind, c.step])).toEqual([[runbook, 'runbook', 'run']]);
  });

  it('a text match in a nested run finds its top-level workflow, saying so', () => {
    const { store } = tempStore();
    const t = workflowWithChildren(store);
    const writer = store.eventWriter(t.runbook);
    writer.append({ level: 'info', type: 'message', payload: { role: 'assistant', text: 'the albatross report' } });
    writer.close();
    expect(ids(store, { text: 'albatross' })).toEqual([t.runbook]);
    expect(ids(store, { text: 'albatross', topLevel: true })).toEqual([t.workflow]);
    expect(store.listTrajectories({ text: 'albatross', topLevel: true }).hits?.[t.workflow]).toMatchObject({ where: 'nested' });
  });

  it('links a re-run to its original, both ways', () => {
    const { store } = tempStore();
    const first = store.createTrajectory(aTrajectory()).id;
    const again = store.createTrajectory(aTrajectory()).id;
    store.linkRerun(again, first);
    expect(store.trajectoryRelations(again)).toMatchObject({ rerunOf: first, parent: null });
    expect(store.trajectoryRelations(first)).toMatchObject({ reruns: [again], rerunOf: null, evaluation: null });
  });

  it('names the evaluation a run is a trial of', () => {
    const { store } = tempStore();
    const run = store.createTrajectory(aTrajectory()).id;
    const evaluations = store.evaluations();
    const slot = { cell: 0, case: 0, trial: 1, rerun_of: null, executor: 'local' } as const;
    const cell = { agent: null, model: 'm', image: null, params: {}, executor: 'local' } as const;
    const evaluation = evaluations.create(
      { name: 'nightly', runbook_path: '/runbooks/demo/hello/RUNBOOK.md', collection: 'demo', task: 'hello', content_hash: 'a'.repeat(64), version: null, cells: [cell], cases: [{ name: 'default', params: {} }], trials: 1, concurrency: { local: 1, remote: 1 }, timeout_seconds: null, owner: 'host:1:aa:' },
      [slot],
    );
    expect(store.trajectoryRelations(run).evaluation).toBeNull();
    evaluations.beginTrial(evaluation, slot, { trajectory_id: run, attempt: 1, superseded: [] });
    expect(store.trajectoryRelations(run).evaluation).toBe(evaluation);
  });
});

describe('the search backlog', () => {
  it('indexes the trajectories stored before the index existed, a slice at a time in seq order; what they store later is indexed at once', () => {
    const file = path.join(tempDir(), 'jetty.db');
    const before = MIGRATIONS.filter((m) => m.id < 12);
    const db = new Database(file);
    migrate(db, before, file);
    db.prepare("INSERT INTO trajectories (id, collection, task, kind, status, init_params, created_at) VALUES ('0000abcd', 'c', 't', 'runbook', 'completed', '{}', '2026-01-01T00:00:00.000Z')").run();
    const insert = db.prepare("INSERT INTO events (trajectory_id, seq, time, level, type, step, payload) VALUES ('0000abcd', ?, '2026-01-01T00:00:00.000Z', 'info', 'message', NULL, ?)");
    for (let seq = 1; seq <= 5; seq++) insert.run(seq, JSON.stringify({ role: 'assistant', text: seq === 1 ? 'an old narwhal' : `line ${seq}` }));
    db.close();

    const store = openStore(file);
    try {
      const writer = store.eventWriter('0000abcd');
      writer.append({ level: 'info', type: 'message', payload: { role: 'assistant', text: 'a new walrus' } });
      writer.close();
      expect(ids(store, { text: 'walrus' })).toEqual(['0000abcd']);
      expect(ids(store, { text: 'narwhal' })).toEqual([]);
      expect(store.indexSearchBacklog(2)).toBe(true); // seqs 1–2
      expect(ids(store, { text: 'narwhal' })).toEqual(['0000abcd']);
      expect(ids(store, { text: 'line 5' })).toEqual([]);
      expect(store.indexSearchBacklog(2)).toBe(true); // 3–4
      expect(store.indexSearchBacklog(2)).toBe(true); // 5, then done
      expect(ids(store, { text: 'line 5' })).toEqual(['0000abcd']);
      expect(store.indexSearchBacklog(2)).toBe(false);
    } finally {
      store.close();
    }
  });
});
