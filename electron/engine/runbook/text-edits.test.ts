import { describe, expect, it } from 'vitest';
import { applyEdits } from './text-edits';

const at = (line: number, column: number, endLine = line, endColumn = column) => ({ line, column, endLine, endColumn });

describe('applyEdits', () => {
  it('inserts, replaces and deletes by 1-based lines and columns, last edit first', () => {
    const text = 'one\ntwo\nthree\n';
    expect(applyEdits(text, [{ range: at(2, 1), text: 'new\n' }])).toBe('one\nnew\ntwo\nthree\n');
    expect(applyEdits(text, [{ range: at(1, 1, 1, 4), text: 'ONE' }, { range: at(3, 1, 3, 6), text: '3' }])).toBe('ONE\ntwo\n3\n');
    expect(applyEdits(text, [{ range: at(2, 1, 3, 1), text: '' }])).toBe('one\nthree\n');
  });

  it('keeps CRLF line ends and clamps a column past the end of its line', () => {
    expect(applyEdits('a\r\nb\r\n', [{ range: at(1, 1, 1, 99), text: 'A' }])).toBe('A\r\nb\r\n');
    expect(applyEdits('a', [{ range: at(5, 1), text: '!' }])).toBe('a!');
  });
});
