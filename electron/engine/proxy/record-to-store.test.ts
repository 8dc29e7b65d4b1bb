import { describe, expect, it } from 'vitest';
import { tempStore } from '../store/temp-store.test-helper';
import type { CapturedCall } from './call-summary';
import { storeCalls } from './record-to-store';

const LEVELS = 100_000;

const callWith = (id: string, request: string): CapturedCall => ({
  id,
  api: 'chat-completions',
  runId: null,
  provider: 'openai',
  model: 'openai/gpt-4o',
  stream: false,
  request: Buffer.from(request),
  status: 200,
  chunks: [Buffer.from('{"choices":[],"usage":{"prompt_tokens":4,"completion_tokens":1}}')],
  cancelled: false,
  startedAt: 1_000,
  firstByteAt: null,
  endedAt: 1_007,
});

describe('storing recorded calls', () => {
  it('stores a call whose request nests 100,000 levels deep as text (credentials removed), and the others as usual', () => {
    const { store } = tempStore();
    const [a, deep, b] = [store.freshTrajectoryId(), store.freshTrajectoryId(), store.freshTrajectoryId()];
    const plain = '{"model":"openai/gpt-4o","messages":[]}';
    const deepText = `{"model":"openai/gpt-4o","api_key":"sk-secret-in-body","x":${'['.repeat(LEVELS)}${']'.repeat(LEVELS)}}`;
    const result = storeCalls(store, [callWith(a, plain), callWith(deep, deepText), callWith(b, plain)]);
    expect(result).toEqual({ ids: [a, b, deep], failures: [], diskFull: false });
    const request = store.getTrajectory(deep)!.steps.completion.inputs.request as string;
    expect(typeof request).toBe('string');
    expect(request.startsWith('{"model":"openai/gpt-4o","api_key":"[REDACTED]","x":[[[')).toBe(true);
    expect(store.getTrajectory(deep)!.status).toBe('completed');
    expect(store.getTrajectory(a)!.steps.completion.inputs.request).toEqual({ model: 'openai/gpt-4o', messages: [] });
  });

  it('stores a call once however often it is replayed (journal recovery after a crash)', () => {
    const { store } = tempStore();
    const call = callWith(store.freshTrajectoryId(), '{"model":"openai/gpt-4o","messages":[]}');
    expect(storeCalls(store, [call]).ids).toEqual([call.id]);
    expect(storeCalls(store, [call])).toEqual({ ids: [], failures: [], diskFull: false });
    expect(store.listTrajectories({ kind: 'passthrough' }).total).toBe(1);
  });
});
