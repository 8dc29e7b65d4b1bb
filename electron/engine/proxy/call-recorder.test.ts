import { describe, expect, it } from 'vitest';
import { createCallRecorder } from './call-recorder';
import type { CapturedCall, PassthroughRecord } from './call-summary';

const call = (n: number): CapturedCall => ({
  id: `0000000${n}`.slice(-8),
  provider: 'openai',
  model: 'openai/gpt-4o',
  stream: false,
  request: { model: 'openai/gpt-4o', api_key: 'sk-secret' },
  status: 200,
  chunks: [Buffer.from('{"usage":{"prompt_tokens":3,"completion_tokens":2}}')],
  cancelled: false,
  startedAt: 1_000,
  firstByteAt: null,
  endedAt: 1_007,
});

const until = async (done: () => boolean) => {
  for (let i = 0; i < 200 && !done(); i++) await new Promise((r) => setTimeout(r, 5));
};

describe('call recorder', () => {
  it('stores queued calls in slices, one per turn of the event loop, in order', async () => {
    const batches: PassthroughRecord[][] = [];
    let turns = 0;
    const turnsSeen: number[] = [];
    const recorder = createCallRecorder({
      flushMs: 1,
      sliceSize: 4,
      sink: (records) => {
        batches.push(records);
        turnsSeen.push(turns);
        // Runs before the next slice only if the slices yield to the event loop.
        setImmediate(() => turns++);
      },
    });
    for (let n = 0; n < 10; n++) recorder.record(call(n));
    expect(batches).toEqual([]);
    await until(() => batches.flat().length === 10);
    expect(batches.map((b) => b.length)).toEqual([4, 4, 2]);
    expect(turnsSeen).toEqual([0, 1, 2]);
    expect(batches.flat().map((r) => r.id)).toEqual(Array.from({ length: 10 }, (_, n) => call(n).id));
    const first = batches[0][0];
    expect(first.request).toEqual({ model: 'openai/gpt-4o' });
    expect(first.usage).toEqual({ prompt_tokens: 3, completion_tokens: 2, total_tokens: 5 });
    expect(first.latencyMs).toBe(7);
    recorder.close();
  });

  it('flush stores everything queued at once and cancels the pending slices', async () => {
    const batches: PassthroughRecord[][] = [];
    const recorder = createCallRecorder({ flushMs: 1, sliceSize: 2, sink: (records) => void batches.push(records) });
    for (let n = 0; n < 5; n++) recorder.record(call(n));
    recorder.flush();
    expect(batches.map((b) => b.length)).toEqual([5]);
    await new Promise((r) => setTimeout(r, 20));
    expect(batches.map((b) => b.length)).toEqual([5]);
  });

  it('reports a failing slice and keeps storing the next ones', async () => {
    const stored: string[] = [];
    const errors: unknown[] = [];
    let calls = 0;
    const recorder = createCallRecorder({
      flushMs: 1,
      sliceSize: 1,
      onError: (error) => errors.push(error),
      sink: (records) => {
        if (calls++ === 0) throw new Error('disk full');
        stored.push(...records.map((r) => r.id));
      },
    });
    for (let n = 0; n < 3; n++) recorder.record(call(n));
    await until(() => stored.length === 2);
    expect(stored).toEqual([call(1).id, call(2).id]);
    expect(errors).toHaveLength(1);
    expect((errors[0] as Error).message).toBe('disk full');
  });
});
