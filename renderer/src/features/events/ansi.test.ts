import { describe, expect, it } from 'vitest';
import { parseAnsi } from './ansi';

describe('parseAnsi', () => {
  it('keeps plain text as one span', () => {
    expect(parseAnsi('hello').spans).toEqual([{ text: 'hello' }]);
  });

  it('applies SGR colours and attributes and resets them', () => {
    const { spans } = parseAnsi('a\u001b[1;31mred\u001b[0m b\u001b[92mgreen\u001b[39m.');
    expect(spans).toEqual([
      { text: 'a' },
      { text: 'red', bold: true, fg: 1 },
      { text: ' b' },
      { text: 'green', fg: 10 },
      { text: '.' },
    ]);
  });

  it('maps 256-colour and true-colour codes to CSS colours', () => {
    const { spans } = parseAnsi('\u001b[38;5;196mx\u001b[48;2;1;2;3my\u001b[38;5;4mz');
    expect(spans[0]).toEqual({ text: 'x', fg: 'rgb(255,0,0)' });
    expect(spans[1]).toEqual({ text: 'y', fg: 'rgb(255,0,0)', bg: 'rgb(1,2,3)' });
    expect(spans[2]).toMatchObject({ text: 'z', fg: 4 });
  });

  it('drops cursor and erase sequences', () => {
    expect(parseAnsi('50%\u001b[K\u001b[2Adone').spans.map((s) => s.text).join('')).toBe('50%done');
  });

  it('carries the open style across chunks', () => {
    const first = parseAnsi('\u001b[33mwarn');
    const second = parseAnsi('ing\u001b[0m', first.style);
    expect(second.spans[0]).toEqual({ text: 'ing', fg: 3 });
    expect(second.style).toEqual({});
  });
});
