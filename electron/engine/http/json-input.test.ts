import { describe, expect, it } from 'vitest';
import { jsonNestingDepth, parseJsonInput } from './json-input';

describe('request JSON', () => {
  it('measures nesting without counting brackets inside strings (escaped quotes too)', () => {
    expect(jsonNestingDepth('1')).toBe(0);
    expect(jsonNestingDepth('{"a": [1, {"b": []}]}')).toBe(4);
    expect(jsonNestingDepth('{"a": "[[[[\\"[[[["}')).toBe(1);
  });

  it('refuses nesting past the limit before parsing, and names it', () => {
    const deep = (n: number) => '['.repeat(n) + ']'.repeat(n);
    expect(parseJsonInput(deep(128))).toBeInstanceOf(Array);
    expect(() => parseJsonInput(deep(129))).toThrow(/nested deeper than 128 levels/);
    expect(() => parseJsonInput(deep(1_000_000))).toThrow(expect.objectContaining({ status: 400 }));
  });

  it('reports text that is not JSON as a 400', () => {
    expect(() => parseJsonInput('{')).toThrow(expect.objectContaining({ status: 400, message: expect.stringMatching(/^not valid JSON: /) }));
  });
});
