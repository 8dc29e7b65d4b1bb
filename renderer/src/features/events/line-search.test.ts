import { describe, expect, it } from 'vitest';
import { LineSearch, matchStarts } from './line-search';

describe('matchStarts', () => {
  it('finds every occurrence, case-insensitively, without overlaps', () => {
    expect(matchStarts('Error: error ERROR', 'error')).toEqual([0, 7, 13]);
    expect(matchStarts('aaaa', 'aa')).toEqual([0, 2]);
    expect(matchStarts('abc', '')).toEqual([]);
  });
});

describe('LineSearch', () => {
  it('matches the shown text, not the escape codes', () => {
    const search = new LineSearch('31m');
    search.update([{ text: '\u001b[31mred\u001b[0m' }, { text: 'exit 31m' }]);
    expect(search.matches).toEqual([{ line: 1, start: 5 }]);
  });

  it('scans only what was added, and rescans a last line that grew', () => {
    const lines = [{ text: 'ok 1' }, { text: 'ok' }];
    const search = new LineSearch('OK');
    search.update(lines);
    expect(search.matches).toEqual([
      { line: 0, start: 0 },
      { line: 1, start: 0 },
    ]);
    lines[1].text = 'ok ok';
    lines.push({ text: 'not it' }, { text: 'last ok' });
    search.update(lines);
    expect(search.matches).toEqual([
      { line: 0, start: 0 },
      { line: 1, start: 0 },
      { line: 1, start: 3 },
      { line: 3, start: 5 },
    ]);
  });

  it('finds the last of 100,000 lines', () => {
    const lines = Array.from({ length: 100_000 }, (_, i) => ({ text: String(i + 1) }));
    const search = new LineSearch('100000');
    search.update(lines);
    expect(search.matches).toEqual([{ line: 99_999, start: 0 }]);
  });
});
