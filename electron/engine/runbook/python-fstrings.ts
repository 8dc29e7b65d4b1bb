/**
 * Where a Python code block's f-strings escape a brace: in `f"{{name}}"` Python reads a
 * literal `{name}`, so those braces are not a template variable. Everything else in the
 * block keeps its `{{name}}` references: plain strings (`open("{{results_dir}}/x")`),
 * code, comments, and an f-string's replacement fields with the strings nested in them
 * (`f"{int('{{days}}')}"`). String state carries across lines, for triple-quoted strings.
 */
export type BraceEscapes = (line: string) => Set<number>;

type Frame = { kind: 'string'; quote: string; f: boolean } | { kind: 'field'; depth: number };

const PREFIX_LETTER = /[rRbBuUfFtT]/;
const WORD_CHAR = /[A-Za-z0-9_]/;
const OPENERS = '([{';
const CLOSERS = ')]';

/** The string prefix just before `at` (`f`, `rf`, `b`, …), or '' when the quote has none. */
function prefixBefore(text: string, at: number): string {
  let start = at;
  while (start > 0 && at - start < 2 && PREFIX_LETTER.test(text[start - 1])) start--;
  if (start > 0 && WORD_CHAR.test(text[start - 1])) return '';
  return text.slice(start, at);
}

/** A scanner for one Python code block: feed it the block's lines in order. */
export function pythonFStringEscapes(): BraceEscapes {
  const stack: Frame[] = [];
  return (text) => {
    const escapes = new Set<number>();
    let i = 0;
    while (i < text.length) {
      const top = stack[stack.length - 1];
      const c = text[i];
      if (top?.kind === 'string') {
        if (c === '\\') i += 2;
        else if (text.startsWith(top.quote, i)) {
          stack.pop();
          i += top.quote.length;
        } else if (top.f && (text.startsWith('{{', i) || text.startsWith('}}', i))) {
          if (c === '{') escapes.add(i);
          i += 2;
        } else {
          if (top.f && c === '{') stack.push({ kind: 'field', depth: 0 });
          i++;
        }
        continue;
      }
      if (c === '#' && !top) break; // a comment runs to the end of the line
      if (c === '"' || c === "'") {
        const quote = text.startsWith(c.repeat(3), i) ? c.repeat(3) : c;
        stack.push({ kind: 'string', quote, f: /[fFtT]/.test(prefixBefore(text, i)) });
        i += quote.length;
        continue;
      }
      if (top?.kind === 'field') {
        if (OPENERS.includes(c)) top.depth++;
        else if (CLOSERS.includes(c)) top.depth--;
        else if (c === '}') {
          if (top.depth === 0) stack.pop();
          else top.depth--;
        }
      }
      i++;
    }
    // Only triple-quoted strings continue on the next line.
    const open = stack.findIndex((frame) => frame.kind === 'string' && frame.quote.length === 1);
    if (open >= 0) stack.length = open;
    return escapes;
  };
}
