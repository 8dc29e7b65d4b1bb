import { describe, expect, it } from 'vitest';
import { usageFilter } from './stream-usage';

const frame = (value: unknown) => `data: ${JSON.stringify(value)}\n\n`;

function run(chunks: string[]) {
  const out: Buffer[] = [];
  const usages: unknown[] = [];
  const filter = usageFilter((b) => out.push(b), (u) => usages.push(u));
  for (const c of chunks) filter.push(Buffer.from(c));
  filter.end();
  return { text: Buffer.concat(out).toString(), out, usages };
}

describe('the usage filter of a stream whose client did not ask for usage', () => {
  it('passes chunks without usage as they came, drops the usage-only chunk and keeps its usage', () => {
    const content = frame({ id: 'c', choices: [{ index: 0, delta: { content: 'Hi' }, finish_reason: null }] });
    const usage = frame({ id: 'c', choices: [], usage: { prompt_tokens: 3, completion_tokens: 1, total_tokens: 4 } });
    const { text, usages } = run([content, usage + 'data: [DONE]\n\n']);
    expect(text).toBe(`${content}data: [DONE]\n\n`);
    expect(usages).toEqual([expect.objectContaining({ inputTokens: 3, outputTokens: 1 })]);
  });

  it('removes "usage": null from every chunk and a usage riding on a content chunk, across chunk boundaries', () => {
    const withNull = frame({ id: 'c', choices: [{ index: 0, delta: { content: 'a' } }], usage: null });
    const riding = frame({ id: 'c', choices: [{ index: 0, delta: {}, finish_reason: 'stop' }], usage: { prompt_tokens: 2, completion_tokens: 5 } });
    const whole = withNull + riding;
    const { text, usages } = run([whole.slice(0, 30), whole.slice(30, 95), whole.slice(95)]);
    expect(text).not.toContain('usage');
    expect(text.split('\n\n').filter(Boolean).map((f) => JSON.parse(f.slice(6)))).toEqual([
      { id: 'c', choices: [{ index: 0, delta: { content: 'a' } }] },
      { id: 'c', choices: [{ index: 0, delta: {}, finish_reason: 'stop' }] },
    ]);
    expect(usages).toHaveLength(1);
  });
});

describe('frames as they arrive', () => {
  it('holds a frame until its end, with \\r\\n line ends too', () => {
    const a = 'data: {"id":"c","choices":[{"index":0,"delta":{"content":"x"}}],"usage":null}\r\n\r\n';
    const { out, text } = run([a.slice(0, 20), a.slice(20)]);
    expect(out).toHaveLength(1);
    expect(text).toBe('data: {"id":"c","choices":[{"index":0,"delta":{"content":"x"}}]}\r\n\r\n');
  });
});
