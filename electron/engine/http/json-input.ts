/** How deep request JSON may nest: far beyond any real payload, far below what recursive code (stringify, zod, redaction) survives. */
export const MAX_JSON_DEPTH = 128;

const OPEN_OBJECT = 0x7b; // {
const OPEN_ARRAY = 0x5b; // [
const CLOSE_OBJECT = 0x7d; // }
const CLOSE_ARRAY = 0x5d; // ]
const QUOTE = 0x22; // "
const BACKSLASH = 0x5c; // \

/** The deepest nesting of objects and arrays in JSON text, found in one pass without recursion (brackets inside strings do not count). */
export function jsonNestingDepth(text: string, stopAbove = Infinity): number {
  let depth = 0;
  let deepest = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === BACKSLASH) i++;
      else if (c === QUOTE) inString = false;
    } else if (c === QUOTE) inString = true;
    else if (c === OPEN_OBJECT || c === OPEN_ARRAY) {
      depth++;
      if (depth > deepest) deepest = depth;
      if (deepest > stopAbove) return deepest;
    } else if (c === CLOSE_OBJECT || c === CLOSE_ARRAY) depth--;
  }
  return deepest;
}

/** Request JSON that cannot be taken: not JSON, or nested too deep (the message reads after "the body is"). `status` 400. */
export class JsonInputError extends Error {
  readonly status = 400;
  constructor(message: string) {
    super(message);
    this.name = 'JsonInputError';
  }
}

/**
 * Parses JSON from a client: refuses nesting deeper than `maxDepth` before parsing (so no
 * later recursive step can overflow the stack), then `JSON.parse`. Throws JsonInputError.
 */
export function parseJsonInput(text: string, maxDepth = MAX_JSON_DEPTH): unknown {
  if (jsonNestingDepth(text, maxDepth) > maxDepth) {
    throw new JsonInputError(`nested deeper than ${maxDepth} levels of objects and arrays`);
  }
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new JsonInputError(`not valid JSON: ${(error as Error).message}`);
  }
}
