import { describe, expect, it } from 'vitest';
import { stringAtOffset } from './json-cursor';

/** The cursor where `|` is, in the text without it. */
const at = (marked: string) => stringAtOffset(marked.replace('|', ''), marked.indexOf('|'));

describe('stringAtOffset', () => {
  it('finds a value string with its path, and what is typed before the cursor', () => {
    expect(at('{"step_configs": {"say": {"activity": "text_echo", "text_path": "init_par|"}}}')).toEqual({
      path: ['step_configs', 'say', 'text_path'],
      isKey: false,
      prefix: 'init_par',
      start: expect.any(Number),
    });
  });

  it('counts array elements and follows nested objects and escaped quotes', () => {
    const cursor = at('{"a": {"b\\"q": 1, "c": [{"x": "1"}, "two", "th|ree"]}}');
    expect(cursor).toMatchObject({ path: ['a', 'c', 2], isKey: false, prefix: 'th' });
  });

  it('tells a key from a value', () => {
    expect(at('{"step_configs": {"say": {"acti|": 1}}}')).toMatchObject({ path: ['step_configs', 'say', 'acti'], isKey: true });
    expect(at('{"a": 1, "b": {"c": 2, "|"}}')).toMatchObject({ path: ['b', ''], isKey: true });
  });

  it('works on unfinished text and is null outside strings', () => {
    expect(at('{"steps": ["one", "tw|')).toMatchObject({ path: ['steps', 1], prefix: 'tw' });
    expect(at('{"a": 1|2}')).toBeNull();
    expect(at('{"a": "x", |}')).toBeNull();
  });
});
