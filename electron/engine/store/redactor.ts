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
 * Builds a redactor for `secrets` (name → value). Besides the plain value it finds the
 * value's base64 (standard and URL-safe), URL-encoded and JSON-escaped forms, so a token
 * that went through a Basic-auth header builder, a URL or a serialised document is
 * still caught. Longer values are matched first, so a secret containing another is
 * replaced whole.
 */
export function createRedactor(secrets: Record<string, string>): Redactor {
  const replacements = new Map<string, string>();
  const ignored: string[] = [];
  for (const [name, value] of Object.entries(secrets)) {
    if (value.length < MIN_SECRET_LENGTH) {
      ignored.push(name);
      continue;
    }
    for (const form of encodingsOf(value)) if (!replacements.has(form)) replacements.set(form, `[REDACTED:${name}]`);
  }
  if (replacements.size === 0) {
    return { redact: (text) => text, redactValue: (value) => value, redactJson: (value) => JSON.stringify(value), ignored };
  }

  const source = [...replacements.keys()].sort((a, b) => b.length - a.length).map(escapeRegExp).join('|');
  const pattern = new RegExp(source, 'g');
  const probe = new RegExp(source);
  const redact = (text: string): string =>
    text.length < MIN_SECRET_LENGTH ? text : text.replace(pattern, (match) => replacements.get(match) ?? match);
  const redactValue = <T>(value: T): T => deepMapStrings(value, redact) as T;
  // JSON escapes strings character by character, so a secret inside any string or key
  // shows in the serialised text as its JSON-escaped form, which is among the patterns:
  // when the probe finds nothing, the plain serialisation is already clean.
  const redactJson = (value: unknown): string => {
    const json = JSON.stringify(value);
    return probe.test(json) ? JSON.stringify(redactValue(value)) : json;
  };
  return { redact, redactValue, redactJson, ignored };
}

function encodingsOf(value: string): string[] {
  const base64 = Buffer.from(value, 'utf8').toString('base64');
  const unpadded = base64.replace(/=+$/, '');
  const forms = [
    value,
    base64,
    unpadded,
    unpadded.replace(/\+/g, '-').replace(/\//g, '_'),
    encodeURIComponent(value),
    JSON.stringify(value).slice(1, -1),
  ];
  return [...new Set(forms)].filter((form) => form.length >= MIN_SECRET_LENGTH);
}

const escapeRegExp = (text: string): string => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

function deepMapStrings(value: unknown, map: (text: string) => string): unknown {
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
