import { describe, expect, it } from 'vitest';
import { markMatches } from './highlight';

describe('markMatches', () => {
  it('marks every match and the current one apart', () => {
    expect(markMatches([{ text: 'ab ab ab' }], [0, 3, 6], 2, 3)).toEqual([
      { text: 'ab', mark: 'match' },
      { text: ' ' },
      { text: 'ab', mark: 'current' },
      { text: ' ' },
      { text: 'ab', mark: 'match' },
    ]);
  });

  it('cuts across styled spans and keeps their style', () => {
    expect(markMatches([{ text: 'xxye', fg: 1 }, { text: 'llow', bold: true }], [2], 6, null)).toEqual([
      { text: 'xx', fg: 1 },
      { text: 'ye', fg: 1, mark: 'match' },
      { text: 'llow', bold: true, mark: 'match' },
    ]);
  });

  it('leaves spans alone without matches', () => {
    expect(markMatches([{ text: 'plain' }], [], 3, null)).toEqual([{ text: 'plain' }]);
  });
});
