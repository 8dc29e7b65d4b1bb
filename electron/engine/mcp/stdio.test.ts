import { describe, expect, it } from 'vitest';
import { boundedLines, requestIdAtEnd } from './stdio';

/** Feeds `chunks` through boundedLines(limit); what came out (one entry per pushed chunk) and what was refused. */
async function framed(limit: number, chunks: string[]) {
  const refused: string[] = [];
  const lines = boundedLines(limit, (tail) => refused.push(tail));
  const out: string[] = [];
  lines.on('data', (chunk: Buffer) => out.push(chunk.toString('utf8')));
  for (const chunk of chunks) lines.write(Buffer.from(chunk));
  lines.end();
  await new Promise((resolve) => lines.once('end', resolve));
  return { out, refused };
}

describe('boundedLines', () => {
  it('passes whole lines, each as one chunk, however the input is cut', async () => {
    expect(await framed(100, ['{"a":1}\n{"b"', ':2}\n{"c":3}\n'])).toEqual({ out: ['{"a":1}\n', '{"b":2}\n', '{"c":3}\n'], refused: [] });
    expect(await framed(100, ['{"a"', ':', '1}', '\n'])).toEqual({ out: ['{"a":1}\n'], refused: [] });
  });

  it('drops a line past the limit (spread over chunks) and hands over its end; the lines around it pass', async () => {
    const long = `{"method":"tools/call","params":{"x":"${'y'.repeat(50)}"},"jsonrpc":"2.0","id":7}`;
    const { out, refused } = await framed(40, ['{"ok":1}\n', long.slice(0, 30), long.slice(30, 60), `${long.slice(60)}\n{"ok":2}\n`]);
    expect(out).toEqual(['{"ok":1}\n', '{"ok":2}\n']);
    expect(refused).toHaveLength(1);
    expect(long.endsWith(refused[0].trimEnd())).toBe(true);
    expect(requestIdAtEnd(refused[0])).toBe(7);
  });

  it('keeps only the end of a refused line, however long it is', async () => {
    const { refused } = await framed(10, ['z'.repeat(5000), '"id":"abc"}\n']);
    expect(refused[0].length).toBeLessThanOrEqual(512);
    expect(requestIdAtEnd(refused[0])).toBe('abc');
  });
});

describe('requestIdAtEnd', () => {
  it('finds a number or string id closing the line, else null', () => {
    expect(requestIdAtEnd('..."jsonrpc":"2.0","id":12}\n')).toBe(12);
    expect(requestIdAtEnd('..."id": "r-\\"1"}')).toBe('r-"1');
    expect(requestIdAtEnd('..."params":{"id":3},"jsonrpc":"2.0"}')).toBeNull();
    expect(requestIdAtEnd('no json at all')).toBeNull();
  });
});
