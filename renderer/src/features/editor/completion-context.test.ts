import { describe, expect, it } from 'vitest';
import { completionContext, frontmatterEnd } from './completion-context';

const text = ['---', 'version: "1"', 'agent: co', 'ag', '  nested: x', '---', '', 'Use {{to', 'agent: nope'];

describe('completionContext', () => {
  it('finds the end of the frontmatter', () => {
    expect(frontmatterEnd(text)).toBe(6);
    expect(frontmatterEnd(['# no frontmatter'])).toBe(0);
    expect(frontmatterEnd(['---', 'agent: x'])).toBe(3);
  });

  it('completes keys at the start of a frontmatter line and values after key:', () => {
    expect(completionContext(text, 4, 3)).toEqual({ kind: 'key' });
    expect(completionContext(text, 3, 10)).toEqual({ kind: 'value', key: 'agent' });
    expect(completionContext(text, 5, 7)).toBeNull();
  });

  it('completes {{variables}} anywhere, and nothing frontmatter-like in the body', () => {
    expect(completionContext(text, 8, 9)).toEqual({ kind: 'variable', typed: 'to' });
    expect(completionContext(text, 9, 8)).toBeNull();
    expect(completionContext(text, 1, 1)).toBeNull();
  });
});
