import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { encodedForms, type EncodedForm } from './encoded-forms';
import { createRedactor, MIN_SECRET_LENGTH } from './redactor';

const MARKER = '[REDACTED:S]';
/** Text around a form: no line breaks or backslashes, so only the folds a test inserts are there. */
const surrounding = fc.string({ unit: fc.oneof(fc.constantFrom('a', 'Z', '0', '+', '/', '=', '%', ' ', '-'), fc.string({ unit: 'binary', maxLength: 1 })), maxLength: 40 })
  .map((text) => text.replace(/[\r\n\\]/g, ''));
const secret = fc
  .oneof(fc.string({ minLength: MIN_SECRET_LENGTH, maxLength: 40 }), fc.string({ unit: 'binary', minLength: MIN_SECRET_LENGTH, maxLength: 20 }))
  .filter((value) => value.length >= MIN_SECRET_LENGTH && !MARKER.toLowerCase().includes(value.toLowerCase()))
  // Lone surrogates have no UTF-8 encoding: no environment variable can hold one.
  .filter((value) => Buffer.from(value, 'utf8').toString('utf8') === value);

const unfold = (text: string): string => text.replace(/\r?\n[ \t]*/g, '');
const contains = (text: string, form: EncodedForm): boolean =>
  form.anyCase ? text.toLowerCase().includes(form.text.toLowerCase()) : text.includes(form.text);

describe('createRedactor (properties)', () => {
  it('leaves no encoded form of a secret in the text, folded or not', () => {
    fc.assert(
      fc.property(secret, surrounding, surrounding, fc.nat(), fc.constantFrom('', '\n', '\r\n', '\n  ', '\r\n\t'), (value, before, after, at, fold) => {
        const redactor = createRedactor({ S: value });
        const forms = encodedForms(value, MIN_SECRET_LENGTH);
        for (const form of forms) {
          const chars = Array.from(form.text);
          const cut = 1 + (at % (chars.length - 1));
          // The folding rule: no fold beside a space, tab, CR, LF or backslash of the form.
          const foldable = !/[ \t\r\n\\]/.test(chars[cut - 1] + chars[cut]);
          const text = `${before}${chars.slice(0, cut).join('')}${foldable ? fold : ''}${chars.slice(cut).join('')}${after}`;
          const out = unfold(redactor.redact(text));
          expect(forms.filter((other) => contains(out, other)).map((other) => other.encoding), JSON.stringify(text)).toEqual([]);
        }
      }),
      { numRuns: 200 },
    );
  });

  it('leaves no base64 of a secret, whatever bytes surround it', () => {
    fc.assert(
      fc.property(secret, fc.uint8Array({ maxLength: 7 }), fc.uint8Array({ maxLength: 7 }), fc.boolean(), (value, before, after, urlSafe) => {
        const redactor = createRedactor({ S: value });
        const all = Buffer.concat([before, Buffer.from(value, 'utf8'), after]).toString(urlSafe ? 'base64url' : 'base64');
        const out = redactor.redact(all);
        expect(out).toContain(MARKER);
        expect(encodedForms(value, MIN_SECRET_LENGTH).filter((form) => contains(out, form))).toEqual([]);
      }),
      { numRuns: 200 },
    );
  });

  it('leaves text with no form of any secret unchanged', () => {
    fc.assert(
      fc.property(fc.array(secret, { minLength: 1, maxLength: 4 }), fc.string({ maxLength: 400 }), (values, text) => {
        const forms = values.flatMap((value) => encodedForms(value, MIN_SECRET_LENGTH));
        const normal = unfold(text.replace(/\\r\\n|\\n/g, '\n'));
        fc.pre(!forms.some((form) => contains(normal, form)));
        const redactor = createRedactor(Object.fromEntries(values.map((value, i) => [`S${i}`, value])));
        expect(redactor.redact(text)).toBe(text);
        expect(redactor.redactJson({ [text]: [text] })).toBe(JSON.stringify({ [text]: [text] }));
      }),
      { numRuns: 200 },
    );
  });
});
