import { describe, expect, it } from 'vitest';
import { sseJson } from '../../electron/engine/cloud/sse';

async function* chunks(...parts: (Buffer | string)[]): AsyncGenerator<Buffer> {
  for (const part of parts) yield Buffer.from(part);
}

const all = async (stream: AsyncIterable<Record<string, unknown>>) => {
  const out: Record<string, unknown>[] = [];
  for await (const value of stream) out.push(value);
  return out;
};

describe("the remote run's event stream (cloud/sse.ts)", () => {
  it('a character split across two network chunks arrives whole', async () => {
    const bytes = Buffer.from('data: {"text":"café ✓ 日本"}\n\n');
    const cut = bytes.indexOf(0xc3) + 1; // inside é's two bytes
    expect(await all(sseJson(chunks(bytes.subarray(0, cut), bytes.subarray(cut))))).toEqual([{ text: 'café ✓ 日本' }]);
    // and split at every byte
    expect(await all(sseJson(chunks(...[...bytes].map((b) => Buffer.from([b])))))).toEqual([{ text: 'café ✓ 日本' }]);
  });

  it('a frame that is not JSON is reported with what came, not skipped', async () => {
    const seen: Record<string, unknown>[] = [];
    const failure = await (async () => {
      for await (const value of sseJson(chunks('data: {"trajectory_id":"abc"}\n\n', 'data: {not json at all\n\n', 'data: {"after":1}\n\n'))) seen.push(value);
    })().catch((e: Error) => e);
    expect(seen).toEqual([{ trajectory_id: 'abc' }]);
    expect((failure as Error).message).toMatch(/frame that is not a JSON object: "\{not json at all"/);
  });

  it('[DONE] and comments pass; a frame growing past the bound without ending is refused', async () => {
    expect(await all(sseJson(chunks(': keep-alive\n\n', 'data: {"a":1}\r\n\r\n', 'data: [DONE]\n\n')))).toEqual([{ a: 1 }]);
    const endless = async function* () {
      for (let i = 0; i < 64; i++) yield Buffer.alloc(64 * 1024, 'x');
    };
    await expect(all(sseJson(endless(), 1024 * 1024))).rejects.toThrow(/more than 1048576 bytes without ending an event/);
  });
});
