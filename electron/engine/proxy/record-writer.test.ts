import { existsSync, readdirSync, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { processOwnerToken, type Store } from '../store';
import { tempDir, tempStore } from '../store/temp-store.test-helper';
import type { CapturedCall } from './call-summary';
import { openJournalWriter } from './call-journal';
import { startRecordWriter } from './record-writer';

const journalRoot = () => path.join(tempDir(), 'journal');

/** A call as the passthrough captures it: views into bigger buffers, the response in pieces. */
const captured = (store: Store): CapturedCall => {
  const pool = Buffer.from(`${'x'.repeat(100)}{"model":"openai/gpt-4o","messages":[]}${'y'.repeat(100)}`);
  return {
    id: store.freshTrajectoryId(),
    api: 'chat-completions',
    runId: null,
    provider: 'openai',
    model: 'openai/gpt-4o',
    stream: false,
    request: pool.subarray(100, pool.length - 100),
    status: 200,
    chunks: [Buffer.from('{"choices":[],'), Buffer.from('"usage":{"prompt_tokens":4,"completion_tokens":1}}')],
    cancelled: false,
    startedAt: 1_000,
    firstByteAt: null,
    endedAt: 1_007,
  };
};

/** A thread's nice value, from `/proc/self/task/<tid>/stat` (or `/proc/self/stat`). */
const niceOf = (tid: string) =>
  Number(readFileSync(tid === 'self' ? '/proc/self/stat' : `/proc/self/task/${tid}/stat`, 'utf8').split(') ')[1].split(' ')[16]);
const lowestPriorityThreads = () => readdirSync('/proc/self/task').filter((tid) => niceOf(tid) === 19).length;

describe('record writer', () => {
  it('summarises and stores calls from its thread, announces them on the store, and finishes them on close', async () => {
    const { store } = tempStore();
    // This connection cannot import: whatever gets stored was stored by the thread.
    const mainStore: Store = { ...store, importTrajectoriesOnce: () => { throw new Error('not on the event loop'); } };
    const announced: string[] = [];
    store.onChange(({ table, trajectoryId }) => table === 'trajectories' && announced.push(trajectoryId));
    const errors: unknown[] = [];
    const lowestBefore = lowestPriorityThreads();
    const root = journalRoot();
    const writer = startRecordWriter(mainStore, { flushMs: 20, journalRoot: root, onError: (error) => errors.push(error) });

    // Taken at once, before the thread has its store open: they wait in its queue.
    const first = [captured(store), captured(store)];
    first.forEach(writer.record);
    for (let i = 0; i < 1000 && first.some((c) => !store.getTrajectory(c.id)); i++) await new Promise((r) => setTimeout(r, 10));
    expect(first.map((c) => store.getTrajectory(c.id)?.kind)).toEqual(['passthrough', 'passthrough']);
    expect(announced).toEqual(expect.arrayContaining(first.map((c) => c.id)));
    // Linux: the recording thread runs at the lowest priority; this thread keeps its own.
    expect(lowestPriorityThreads()).toBe(lowestBefore + 1);
    expect(niceOf('self')).toBe(0);

    // Taken just before close: stored by the time close resolves.
    const last = captured(store);
    writer.record(last);
    await writer.close();
    expect(store.getTrajectory(last.id)?.status).toBe('completed');
    const stored = store.exportTrajectory(first[0].id);
    expect(stored.steps.completion.inputs).toEqual({ request: { model: 'openai/gpt-4o', messages: [] } });
    expect(stored.usage).toMatchObject({ prompt_tokens: 4, completion_tokens: 1, total_tokens: 5 });
    expect(writer.status()).toMatchObject({ recorded: 3, failed: 0, diskFull: false });
    expect(errors).toEqual([]);
    // Everything stored: the journal is gone.
    expect(readdirSync(root)).toEqual([]);
  });

  it('stores in-process when the thread cannot open the store, and reports why', async () => {
    const { store } = tempStore();
    const unreachable: Store = { ...store, file: path.join(tempDir(), 'missing', 'jetty.db') };
    const errors: Error[] = [];
    const writer = startRecordWriter(unreachable, { flushMs: 5, journalRoot: journalRoot(), onError: (error) => errors.push(error as Error) });
    const early = captured(store);
    writer.record(early);
    for (let i = 0; i < 500 && errors.length < 2; i++) await new Promise((r) => setTimeout(r, 10));
    expect(errors.map((e) => e.message).join('\n')).toMatch(/does not exist[\s\S]*recording thread exited \(code 1\)/);
    // The call the thread never stored is stored here after it exited; later ones too.
    const late = [captured(store), captured(store)];
    late.forEach(writer.record);
    await new Promise((r) => setTimeout(r, 50));
    expect([early, ...late].map((c) => store.getTrajectory(c.id)?.kind)).toEqual(['passthrough', 'passthrough', 'passthrough']);
    await writer.close();
  });

  it('stores at start what a dead proxy left in its journal, once, before taking new calls', async () => {
    const { store } = tempStore();
    const root = journalRoot();
    // A proxy of a process that is gone (pid 2^22+1 is above Linux's pid limit) wrote two calls.
    const dead = openJournalWriter(root, { name: 'dead', owner: `${os.hostname()}:4194305:00000000:`, rotateMs: 1 });
    const left = [captured(store), { ...captured(store), endedAt: 2_000 }];
    left.forEach(dead.append);
    dead.close();
    // A live proxy's journal (this process) is not touched.
    const live = openJournalWriter(root, { name: 'live', owner: processOwnerToken(), rotateMs: 1 });
    const liveCall = captured(store);
    live.append(liveCall);

    const writer = startRecordWriter(store, { flushMs: 5, journalRoot: root, onError: (error) => { throw error; } });
    expect(left.map((c) => store.getTrajectory(c.id)?.status)).toEqual(['completed', 'completed']);
    expect(writer.status().recorded).toBe(2);
    expect(existsSync(path.join(root, 'dead'))).toBe(false);
    expect(store.getTrajectory(liveCall.id)).toBeNull();
    await writer.close();
    live.close();
    expect(store.listTrajectories({ kind: 'passthrough' }).total).toBe(2);
  });
});
