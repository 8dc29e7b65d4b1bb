/** Where the cursor is, as far as completions care. */
export type CompletionContext =
  | { kind: 'key' }
  | { kind: 'value'; key: string }
  | { kind: 'variable'; typed: string }
  | null;

/** The 1-based line that closes the frontmatter, or 0 when the text has none (or it is not closed yet: then every line counts). */
export function frontmatterEnd(lines: string[]): number {
  if (lines[0]?.trim() !== '---') return 0;
  const close = lines.findIndex((l, i) => i > 0 && l.trim() === '---');
  return close < 0 ? lines.length + 1 : close + 1;
}

/**
 * What to complete at (lineNumber, column) (1-based, Monaco's): a frontmatter key at the
 * start of a frontmatter line, a key's value after `key:`, or a `{{variable}}` anywhere.
 */
export function completionContext(lines: string[], lineNumber: number, column: number): CompletionContext {
  const before = (lines[lineNumber - 1] ?? '').slice(0, column - 1);
  const variable = before.match(/\{\{\s*([\w.]*)$/);
  if (variable) return { kind: 'variable', typed: variable[1] };
  const end = frontmatterEnd(lines);
  if (lineNumber <= 1 || lineNumber >= end) return null;
  if (/^[A-Za-z_]*$/.test(before)) return { kind: 'key' };
  const value = before.match(/^([A-Za-z_]+):\s*[\w./-]*$/);
  return value ? { kind: 'value', key: value[1] } : null;
}
