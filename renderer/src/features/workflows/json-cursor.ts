/** Where a cursor sits in JSON text, when it is inside a string. */
export interface JsonStringCursor {
  /** Keys and indexes from the root to the string (for a key: to the object that holds it, then the key). */
  path: (string | number)[];
  /** The string is a member's key, not a value. */
  isKey: boolean;
  /** The string's text before the cursor. */
  prefix: string;
  /** Offset of the string's first character (after the quote). */
  start: number;
}

interface Frame {
  kind: 'object' | 'array';
  key: string | null;
  index: number;
  expectKey: boolean;
}

/** The end of the string that opens at `at` (its closing quote), or the text's end if it is not closed. */
function stringEnd(text: string, at: number): number {
  let i = at + 1;
  while (i < text.length && text[i] !== '"' && text[i] !== '\n') i += text[i] === '\\' ? 2 : 1;
  return Math.min(i, text.length);
}

const unquote = (raw: string): string => {
  try {
    return JSON.parse(`"${raw}"`) as string;
  } catch {
    return raw;
  }
};

/**
 * The string the cursor (`offset`, 0-based) is in, with its place in the document; null
 * outside strings. A tolerant scan: it works on text that is being typed (unclosed
 * strings and containers), which the JSON parser refuses.
 */
export function stringAtOffset(text: string, offset: number): JsonStringCursor | null {
  const stack: Frame[] = [];
  const place = () => stack.map((f) => (f.kind === 'object' ? (f.key ?? '') : f.index));
  for (let i = 0; i < text.length && i < offset; i++) {
    const c = text[i];
    const top = stack[stack.length - 1];
    if (c === '{') stack.push({ kind: 'object', key: null, index: 0, expectKey: true });
    else if (c === '[') stack.push({ kind: 'array', key: null, index: 0, expectKey: false });
    else if (c === '}' || c === ']') stack.pop();
    else if (c === ',' && top) {
      if (top.kind === 'object') Object.assign(top, { key: null, expectKey: true });
      else top.index++;
    } else if (c === ':' && top?.kind === 'object') top.expectKey = false;
    else if (c === '"') {
      const end = stringEnd(text, i);
      const isKey = top?.kind === 'object' && top.expectKey;
      if (offset <= end) {
        const prefix = unquote(text.slice(i + 1, offset));
        return isKey ? { path: [...place().slice(0, -1), prefix], isKey, prefix, start: i + 1 } : { path: place(), isKey, prefix, start: i + 1 };
      }
      if (isKey) top.key = unquote(text.slice(i + 1, end));
      i = end;
    }
  }
  return null;
}
