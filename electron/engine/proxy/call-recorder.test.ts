import { describe, expect, it } from 'vitest';
import { createCallRecorder } from './call-recorder';
import type { CapturedCall } from './call-summary';
import { summariseCall } from './call-summary';

const call = (n: number): CapturedCall => ({
  id: `0000000${n}`.slice(-8),
  provider: 'openai',
  model: 'openai/gpt-4o',
  stream: false,
  request: Buffer.from('{"model":"openai/gpt-4o","api_key":"sk-secret"}'),
  status: 200,
  chunks: [Buffer.from('{"usage":{"prompt_tokens":3,'), Buffer.from('"completion_tokens":2}}')],
  cancelled: false,
  startedAt: 1_000,
  firstByteAt: null,
  endedAt: 1_007,
});

const until = async (done: () => boolean) => {
  for (let i = 0; i < 200 && !done(); i++) await new Promise((r) => setTimeout(r, 5));
};

describe('call recorder', () => {
  it('hands every call finished within flushMs to the sink in one batch, in order, later', async () => {
    const batches: CapturedCall[][] = [];
    const recorder = createCallRecorder({ flushMs: 20, sink: (calls) => void batches.push(calls) });
    for (let n = 0; n < 10; n++) recorder.record(call(n));
    expect(batches).toEqual([]);
    await until(() => batches.length > 0);
    expect(batches.map((b) => b.map((c) => c.id))).toEqual([Array.from({ length: 10 }, (_, n) => call(n).id)]);
    recorder.record(call(10));
    await until(() => batches.length > 1);
    expect(batches[1].map((c) => c.id)).toEqual([call(10).id]);
    recorder.close();
  });

  it('flush hands over everything queued at once and cancels the timer', async () => {
    const batches: CapturedCall[][] = [];
    const recorder = createCallRecorder({ flushMs: 1, sink: (calls) => void batches.push(calls) });
    for (let n = 0; n < 5; n++) recorder.record(call(n));
    recorder.flush();
    expect(batches.map((b) => b.length)).toEqual([5]);
    await new Promise((r) => setTimeout(r, 20));
    expect(batches.map((b) => b.length)).toEqual([5]);
  });

  it('reports a failing batch and keeps recording the next ones', async () => {
    const stored: string[] = [];
    const errors: unknown[] = [];
    let batches = 0;
    const recorder = createCallRecorder({
      flushMs: 1,
      onError: (error) => errors.push(error),
      sink: (calls) => {
        if (batches++ === 0) throw new Error('disk full');
        stored.push(...calls.map((c) => c.id));
      },
    });
    recorder.record(call(0));
    await until(() => errors.length === 1);
    recorder.record(call(1));
    await until(() => stored.length === 1);
    expect(stored).toEqual([call(1).id]);
    expect((errors[0] as Error).message).toBe('disk full');
  });
});

describe('call summary', () => {
  it('parses the captured bytes: credentials dropped from the request, usage and latency read', () => {
    const record = summariseCall(call(1));
    expect(record.request).toEqual({ model: 'openai/gpt-4o' });
    expect(record.usage).toEqual({ prompt_tokens: 3, completion_tokens: 2, total_tokens: 5 });
    expect(record.latencyMs).toBe(7);
    expect(record.status).toBe('completed');
  });
});
