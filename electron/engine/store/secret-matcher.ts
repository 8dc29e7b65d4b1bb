import { encodedForms, type EncodedForm } from './encoded-forms';

/**
 * Finds secrets in text, in every encoded form and folded across lines. Built once per
 * set of secrets: each form becomes a list of characters (each with the code units it
 * may appear as) and the forms are indexed by the two code units a match can start with,
 * so a scan reads two units per position and compares a form only where one can start.
 * (One regular expression of all forms was ~50 times slower to scan, and took tens of
 * milliseconds to compile per secret.)
 *
 * Folding rule: between two characters of a form there may be one line break — LF or
 * CRLF, raw or JSON-escaped (the two characters `\n`, the four `\r\n`) — followed by up
 * to MAX_INDENT spaces or tabs (raw or `\t`), unless one of the two characters is itself
 * a space, tab, CR, LF or backslash (there a fold could not be told from the value's own
 * characters). That covers base64 wrapped at 64 or 76 columns (PEM, MIME), a terminal's
 * hard wrap, and a continued line indented in YAML or pretty-printed output, also once
 * serialised as JSON. A value broken by anything else (a `\` line continuation, a hyphen,
 * two line breaks in a row) is not matched. The rule leaves no choice while matching (a
 * fold is taken whenever one is there), so a match never backtracks.
 */
const MAX_INDENT = 32;
const MAX_FOLD_LENGTH = '\\r\\n'.length + MAX_INDENT * '\\t'.length;
const NEVER_BESIDE_A_FOLD = /[ \t\r\n\\]/;
const [LF, CR, BACKSLASH] = [10, 13, 92];

/** Where the text goes on after a fold at `at` (`at` itself when there is none). */
function skipFold(text: string, at: number): number {
  let pos = at;
  if (text.startsWith('\r\n', pos)) pos += 2;
  else if (text.startsWith('\n', pos)) pos += 1;
  else if (text.startsWith('\\r\\n', pos)) pos += 4;
  else if (text.startsWith('\\n', pos)) pos += 2;
  else return at;
  for (let indent = 0; indent < MAX_INDENT; indent++) {
    if (text.startsWith(' ', pos) || text.startsWith('\t', pos)) pos += 1;
    else if (text.startsWith('\\t', pos)) pos += 2;
    else break;
  }
  return pos;
}

/**
 * What the matcher runs over: JS strings (`text`), or bytes held one per character in a
 * latin1 string (`bytes`, for files: any content, valid UTF-8 or not, round-trips exactly).
 */
export type MatchMode = 'text' | 'bytes';

const asBytes = (text: string): string => Buffer.from(text, 'utf8').toString('latin1');

/** The code units one character of a form may appear as: itself, and its other cases when `anyCase`. */
function characterVariants(char: string, anyCase: boolean, mode: MatchMode): string[] {
  const variants = anyCase ? [char, char.toLowerCase(), char.toUpperCase()].filter((v) => Array.from(v).length === 1) : [char];
  return [...new Set(variants.map((v) => (mode === 'bytes' ? asBytes(v) : v)))];
}

const pairKey = (first: number, second: number): number => first * 0x10000 + second;
const bloomSlot = (first: number, second: number): number => ((first << 7) ^ second) & 0xffff;

interface CompiledForm {
  name: string;
  /** Per character of the form, the code units it may appear as. */
  chars: string[][];
  /** Per character, whether a fold may come before it. */
  foldBefore: boolean[];
  maxLength: number;
}

function compileForm(name: string, form: EncodedForm, mode: MatchMode): CompiledForm {
  const text = Array.from(form.text);
  const chars = text.map((c) => characterVariants(c, form.anyCase, mode));
  const foldBefore = text.map((c, i) => i > 0 && !NEVER_BESIDE_A_FOLD.test(text[i - 1]) && !NEVER_BESIDE_A_FOLD.test(c));
  const longest = chars.reduce((sum, units) => sum + Math.max(...units.map((u) => u.length)), 0);
  return { name, chars, foldBefore, maxLength: longest + foldBefore.filter(Boolean).length * MAX_FOLD_LENGTH };
}

/** pairKey of each pair of code units a match of the form can start with. */
const startsOf = ({ chars }: CompiledForm): number[] =>
  chars[0].flatMap((first) =>
    first.length > 1
      ? [pairKey(first.charCodeAt(0), first.charCodeAt(1))]
      : chars[1].map((second) => pairKey(first.charCodeAt(0), second.charCodeAt(0))),
  );

/** The length of the first of `units` the text has at `pos`, or 0. */
function unitLengthAt(text: string, pos: number, units: string[]): number {
  for (const unit of units) if (text.startsWith(unit, pos)) return unit.length;
  return 0;
}

/** Where a match of the form starting at `at` ends, or -1. */
function matchEnd(text: string, at: number, form: CompiledForm): number {
  let pos = at;
  for (let i = 0; i < form.chars.length; i++) {
    if (form.foldBefore[i]) pos = skipFold(text, pos);
    const length = unitLengthAt(text, pos, form.chars[i]);
    if (length === 0) return -1;
    pos += length;
  }
  return pos;
}

interface Match {
  start: number;
  end: number;
  name: string;
}

type Replacement = (name: string, match: string) => string;

export interface SecretMatcher {
  /** The text with each secret replaced by `replacement(name, match)`; `found` gets each name that matched. */
  replace(text: string, replacement: Replacement, found?: Set<string>): string;
  /**
   * For streams: replaces only the matches starting before `until`, and returns the text
   * up to the end of the last of them or `until`, whichever is further, with `rest`, the
   * index where the text not returned starts.
   */
  replacePrefix(text: string, until: number, replacement: Replacement, found?: Set<string>): { text: string; rest: number };
  /** Whether the text holds any secret. */
  test(text: string): boolean;
  /** The longest text one match can span (what a stream must hold back). */
  readonly maxMatchLength: number;
}

/**
 * A matcher for `secrets` (name → value): every form `encodedForms` lists of at least
 * `minLength` characters. At one position the longest match wins, so a secret
 * containing another is replaced whole; matches do not overlap and the scan goes on
 * after each. Null when there is nothing to find.
 */
export function compileSecretMatcher(secrets: Record<string, string>, minLength: number, mode: MatchMode): SecretMatcher | null {
  // Forms are indexed by their first two code units, so each needs at least two characters.
  const forms = Object.entries(secrets).flatMap(([name, value]) =>
    encodedForms(value, Math.max(minLength, 2)).map((form) => compileForm(name, form, mode)),
  );
  if (forms.length === 0) return null;
  const buckets = new Map<number, CompiledForm[]>();
  const bloom = new Uint8Array(0x10000);
  for (const form of forms) {
    for (const start of new Set(startsOf(form))) {
      buckets.set(start, [...(buckets.get(start) ?? []), form]);
      bloom[bloomSlot(Math.floor(start / 0x10000), start % 0x10000)] = 1;
    }
  }

  const longestAt = (text: string, at: number, first: number, second: number, best: Match | null): Match | null => {
    for (const form of buckets.get(pairKey(first, second)) ?? []) {
      const end = matchEnd(text, at, form);
      if (end > (best?.end ?? -1)) best = { start: at, end, name: form.name };
    }
    return best;
  };

  /** The first match starting at or after `from` and before `until`, or null. */
  const next = (text: string, from: number, until = text.length): Match | null => {
    const last = Math.min(until, text.length - 1);
    for (let at = from; at < last; at++) {
      const first = text.charCodeAt(at);
      const second = text.charCodeAt(at + 1);
      // The hot loop: most positions stop at this one array read.
      const folds = second === LF || second === CR || second === BACKSLASH;
      const direct = bloom[bloomSlot(first, second)] === 1;
      if (!direct && !folds) continue;
      let best = direct ? longestAt(text, at, first, second, null) : null;
      if (folds) {
        const afterFold = skipFold(text, at + 1);
        const third = text.charCodeAt(afterFold);
        if (afterFold > at + 1 && afterFold < text.length && bloom[bloomSlot(first, third)] === 1) best = longestAt(text, at, first, third, best);
      }
      if (best) return best;
    }
    return null;
  };

  const replacePrefix = (text: string, until: number, replacement: Replacement, found?: Set<string>) => {
    let out = '';
    let done = 0;
    for (let match = next(text, 0, until); match; match = next(text, match.end, until)) {
      out += text.slice(done, match.start) + replacement(match.name, text.slice(match.start, match.end));
      found?.add(match.name);
      done = match.end;
    }
    const rest = Math.max(done, until);
    return { text: done === 0 && rest === text.length ? text : out + text.slice(done, rest), rest };
  };
  return {
    replace: (text, replacement, found) => replacePrefix(text, text.length, replacement, found).text,
    replacePrefix,
    test: (text) => next(text, 0) !== null,
    maxMatchLength: Math.max(...forms.map((form) => form.maxLength)),
  };
}
