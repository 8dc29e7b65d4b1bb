/**
 * One way a secret value can appear in text: `text`, compared letter-case-insensitively
 * when `anyCase` (hex, percent escapes and upper- or lower-cased copies of the value are
 * all the same leak), exactly otherwise (base64, where case carries the bits).
 */
export interface EncodedForm {
  encoding: string;
  text: string;
  anyCase: boolean;
}

/** Characters Python's `quote(safe='')` leaves alone (RFC 3986's unreserved); `encodeURIComponent` also leaves `!'()*`. */
const QUOTE_KEEPS = /[A-Za-z0-9_.~-]/;
const ENCODE_URI_COMPONENT_KEEPS = /[A-Za-z0-9_.~!'()*-]/;

/** %XX (upper-case hex) for each UTF-8 byte of each character not kept; a space as `space`. */
const percentEncode = (value: string, keeps: RegExp, space: string): string =>
  Array.from(value, (char) => {
    if (char === ' ') return space;
    if (keeps.test(char)) return char;
    return Array.from(Buffer.from(char, 'utf8'), (byte) => `%${byte.toString(16).toUpperCase().padStart(2, '0')}`).join('');
  }).join('');

const asciiJson = (value: string): string =>
  JSON.stringify(value)
    .slice(1, -1)
    .replace(/[^\x20-\x7e]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);

/**
 * The base64 characters that encode `bytes` wherever they sit in a longer base64 text:
 * for each alignment (0, 1 or 2 bytes before them in their 3-byte group) the characters
 * whose 6 bits all come from `bytes`, without the partial characters at either end
 * (those also depend on the neighbouring bytes). Plus the standalone encoding, padded
 * and unpadded. Standard and URL-safe alphabets.
 */
function base64Forms(bytes: Buffer): EncodedForm[] {
  const standard: { encoding: string; text: string }[] = [];
  const whole = bytes.toString('base64');
  standard.push({ encoding: 'base64', text: whole }, { encoding: 'base64', text: whole.replace(/=+$/, '') });
  for (const offset of [0, 1, 2]) {
    const shifted = Buffer.concat([Buffer.alloc(offset), bytes]).toString('base64');
    const first = Math.ceil((8 * offset) / 6);
    const end = Math.floor((8 * (offset + bytes.length)) / 6);
    standard.push({ encoding: `base64 at offset ${offset}`, text: shifted.slice(first, end) });
  }
  return standard.flatMap(({ encoding, text }) => [
    { encoding, text, anyCase: false },
    { encoding: `${encoding} (URL-safe)`, text: text.replace(/\+/g, '-').replace(/\//g, '_'), anyCase: false },
  ]);
}

/**
 * Every form of `value` the redactor looks for, distinct and each at least `minLength`
 * characters: the value itself (any letter case), lower- and upper-case hex of its UTF-8
 * bytes, base64 (see base64Forms), percent-encoding (`encodeURIComponent`, Python's
 * `quote(safe='')` and `quote_plus`, escapes in either case) and JSON string escaping
 * (as `JSON.stringify` writes it, and ASCII-only with `\uXXXX`). A value folded across
 * lines is matched by the redactor, not listed here (see `secret-pattern.ts`).
 * Longest first, so a caller matching them in order replaces the most.
 */
export function encodedForms(value: string, minLength = 1): EncodedForm[] {
  const bytes = Buffer.from(value, 'utf8');
  const hex = bytes.toString('hex');
  const forms: EncodedForm[] = [
    { encoding: 'plain', text: value, anyCase: true },
    { encoding: 'upper-case', text: value.toUpperCase(), anyCase: true },
    { encoding: 'lower-case', text: value.toLowerCase(), anyCase: true },
    { encoding: 'hex', text: hex, anyCase: true },
    { encoding: 'hex (upper-case)', text: hex.toUpperCase(), anyCase: true },
    ...base64Forms(bytes),
    { encoding: 'percent (encodeURIComponent)', text: percentEncode(value, ENCODE_URI_COMPONENT_KEEPS, '%20'), anyCase: true },
    { encoding: "percent (quote(safe=''))", text: percentEncode(value, QUOTE_KEEPS, '%20'), anyCase: true },
    { encoding: 'percent (quote_plus)', text: percentEncode(value, QUOTE_KEEPS, '+'), anyCase: true },
    { encoding: 'JSON string', text: JSON.stringify(value).slice(1, -1), anyCase: true },
    { encoding: 'JSON string (ASCII)', text: asciiJson(value), anyCase: true },
  ];
  const seen = new Set<string>();
  return forms
    .filter((form) => {
      const key = form.anyCase ? `i:${form.text.toLowerCase()}` : `x:${form.text}`;
      if (form.text.length < minLength || seen.has(key)) return false;
      seen.add(key);
      return true;
    })
    .sort((a, b) => b.text.length - a.text.length);
}
