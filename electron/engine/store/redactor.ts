import { compileSecretMatcher } from './secret-matcher';

/**
 * Secret values shorter than this are not redacted. Replacing a 1–3 character value
 * everywhere would mangle ordinary text ("abc", "true", "123") and, by the pattern of
 * replacements, hint at the value anyway; such values are not secrets worth the name.
 * Their names are listed in `Redactor.ignored` so callers can warn about them.
 */
export const MIN_SECRET_LENGTH = 4;

/** Replaces known secret values in strings and JSON values with `[REDACTED:NAME]`. */
export interface Redactor {
  /** The string with every secret value (and its encodings) replaced. */
  redact(text: string): string;
  /** A deep copy of a JSON-like value with every string (and object key) redacted. */
  redactValue<T>(value: T): T;
  /** `JSON.stringify(redactValue(value))`, fast when the value holds no secret (the usual case). */
  redactJson(value: unknown): string;
  /** Names of secrets whose values were too short to redact (see MIN_SECRET_LENGTH). */
  readonly ignored: readonly string[];
}

/**
 * Builds a redactor for `secrets` (name → value). Besides the plain value it finds every
 * form `encodedForms` lists — any letter case, hex, base64 at any byte offset (standard
 * and URL-safe), percent-encoded, JSON-escaped — also folded across lines (the rule is in
 * `secret-matcher.ts`), so a token that went through a Basic-auth header builder, a URL,
 * a hex dump, a serialised document or a wrapped PEM block is still caught. The forms are
 * compiled here, once. Longer values are matched first, so a secret containing another is
 * replaced whole.
 */
export function createRedactor(secrets: Record<string, string>): Redactor {
  const ignored = Object.keys(secrets).filter((name) => secrets[name].length < MIN_SECRET_LENGTH);
  const matcher = compileSecretMatcher(redactable(secrets), MIN_SECRET_LENGTH, 'text');
  if (matcher === null) {
    return { redact: (text) => text, redactValue: (value) => value, redactJson: (value) => JSON.stringify(value), ignored };
  }
  const redact = (text: string): string =>
    text.length < MIN_SECRET_LENGTH ? text : matcher.replace(text, redactedMarker);
  const redactValue = <T>(value: T): T => deepMapStrings(value, redact) as T;
  // JSON escapes strings character by character, so a secret inside any string or key
  // shows in the serialised text as its JSON-escaped form (folds as `\n`), which the
  // matcher also finds: when it finds nothing, the plain serialisation is already clean.
  const redactJson = (value: unknown): string => {
    const json = JSON.stringify(value);
    return matcher.test(json) ? JSON.stringify(redactValue(value)) : json;
  };
  return { redact, redactValue, redactJson, ignored };
}

/** What a secret is replaced with in text. */
export const redactedMarker = (name: string): string => `[REDACTED:${name}]`;

/** The secrets long enough to redact (see MIN_SECRET_LENGTH). */
export const redactable = (secrets: Record<string, string>): Record<string, string> =>
  Object.fromEntries(Object.entries(secrets).filter(([, value]) => value.length >= MIN_SECRET_LENGTH));

/** A deep copy of a JSON-like value with `map` applied to every string and object key. */
export function deepMapStrings(value: unknown, map: (text: string) => string): unknown {
  if (typeof value === 'string') return map(value);
  if (Array.isArray(value)) return value.map((item) => deepMapStrings(item, map));
  if (value !== null && typeof value === 'object') {
    const toJSON = (value as { toJSON?: unknown }).toJSON;
    if (typeof toJSON === 'function') return deepMapStrings(toJSON.call(value), map);
    const out: Record<string, unknown> = {};
    for (const [key, item] of Object.entries(value)) out[map(key)] = deepMapStrings(item, map);
    return out;
  }
  return value;
}
