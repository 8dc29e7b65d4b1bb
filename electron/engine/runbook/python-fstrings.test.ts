import { describe, expect, it } from 'vitest';
import { pythonFStringEscapes } from './python-fstrings';

/** The escaped `{{` columns of each line of one Python block. */
const escapesOf = (...lines: string[]) => {
  const scan = pythonFStringEscapes();
  return lines.map((line) => [...scan(line)]);
};

describe('pythonFStringEscapes', () => {
  it('finds the escaped braces of f-strings, whatever the quotes and prefix', () => {
    expect(escapesOf('print(f"{{name}}")')).toEqual([[8]]);
    expect(escapesOf("x = F'{{a}} and {{b}}'")).toEqual([[6, 16]]);
    expect(escapesOf('x = rf"{{a}}"', 'x = fR"{{a}}"')).toEqual([[7], [7]]);
  });

  it('leaves plain strings, bytes, code and comments to the template', () => {
    expect(escapesOf('open("{{results_dir}}/x.json")')).toEqual([[]]);
    expect(escapesOf('b"{{a}}"', 'n = {{count}}', '# f"{{a}}" in a comment')).toEqual([[], [], []]);
    // `elif"…"` is not a prefix: the letters belong to a word.
    expect(escapesOf('x = elif"{{a}}"')).toEqual([[]]);
  });

  it('treats strings nested in a replacement field as plain strings', () => {
    for (const line of [`f"INTERVAL {int('{{window_days}}')} DAY {{lit}}"`, `f"{ {'k': 1}['k'] } {{lit}}"`]) {
      expect(escapesOf(line)).toEqual([[line.indexOf('{{lit}}')]]);
    }
  });

  it('follows triple-quoted f-strings across lines, and ends other strings at the line end', () => {
    expect(escapesOf('t = f"""', 'Dear {{name}},', '"""', 'y = "{{plain}}"')).toEqual([[], [5], [], []]);
    expect(escapesOf('x = f"unterminated', 'y = "{{plain}}"')).toEqual([[], []]);
  });

  it('skips escaped quotes inside strings', () => {
    const line = String.raw`f"say \"hi\" {{x}}"`;
    expect(escapesOf(line)).toEqual([[line.indexOf('{{x}}')]]);
  });
});
