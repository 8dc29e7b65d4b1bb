import { describe, expect, it } from 'vitest';
import { expandHome } from './home-path';

describe('expandHome', () => {
  it('reads ~ and ~/… as the home folder and leaves every other path alone', () => {
    expect(expandHome('~', '/home/ada')).toBe('/home/ada');
    expect(expandHome('~/data/in.txt', '/home/ada')).toBe('/home/ada/data/in.txt');
    expect(expandHome('/tmp/~/x', '/home/ada')).toBe('/tmp/~/x');
    expect(expandHome('~bob/x', '/home/ada')).toBe('~bob/x');
    expect(expandHome('data/~', '/home/ada')).toBe('data/~');
  });
});
