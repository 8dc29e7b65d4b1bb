import { describe, expect, it } from 'vitest';
import { createRedactor, MIN_SECRET_LENGTH } from './redactor';

describe('createRedactor', () => {
  const redactor = createRedactor({ API_KEY: 'sk-live-1234567890', DB_PASS: 'p@ss/w+rd"x', PIN: '123' });

  it('replaces each secret value with its name', () => {
    expect(redactor.redact('key=sk-live-1234567890; pass=p@ss/w+rd"x')).toBe(
      'key=[REDACTED:API_KEY]; pass=[REDACTED:DB_PASS]',
    );
  });

  it('catches base64, URL-encoded and JSON-escaped forms', () => {
    const b64 = Buffer.from('sk-live-1234567890').toString('base64');
    expect(redactor.redact(`Basic ${b64}`)).toBe('Basic [REDACTED:API_KEY]');
    expect(redactor.redact(`?pw=${encodeURIComponent('p@ss/w+rd"x')}`)).toBe('?pw=[REDACTED:DB_PASS]');
    expect(redactor.redact(JSON.stringify({ pw: 'p@ss/w+rd"x' }))).toBe('{"pw":"[REDACTED:DB_PASS]"}');
  });

  it('ignores values shorter than the minimum and names them', () => {
    expect(MIN_SECRET_LENGTH).toBe(4);
    expect(redactor.ignored).toEqual(['PIN']);
    expect(redactor.redact('pin 123')).toBe('pin 123');
  });

  it('prefers the longer secret when one contains another', () => {
    const nested = createRedactor({ SHORT: 'abcd', LONG: 'abcdefgh' });
    expect(nested.redact('abcdefgh abcd')).toBe('[REDACTED:LONG] [REDACTED:SHORT]');
  });

  it('redacts deep JSON values, keys included, without touching other types', () => {
    const value = {
      list: ['x sk-live-1234567890 y', 42, null, true],
      nested: { 'sk-live-1234567890': { deeper: 'sk-live-1234567890' } },
      when: new Date('2024-01-02T03:04:05Z'),
    };
    expect(redactor.redactValue(value)).toEqual({
      list: ['x [REDACTED:API_KEY] y', 42, null, true],
      nested: { '[REDACTED:API_KEY]': { deeper: '[REDACTED:API_KEY]' } },
      when: '2024-01-02T03:04:05.000Z',
    });
    expect(value.list[0]).toBe('x sk-live-1234567890 y');
  });

  it('serialises redacted JSON, and plain JSON when no secret is present', () => {
    expect(redactor.redactJson({ a: 'p@ss/w+rd"x', n: 1 })).toBe('{"a":"[REDACTED:DB_PASS]","n":1}');
    expect(redactor.redactJson({ 'sk-live-1234567890': [] })).toBe('{"[REDACTED:API_KEY]":[]}');
    expect(redactor.redactJson({ clean: 'nothing here' })).toBe('{"clean":"nothing here"}');
    expect(createRedactor({}).redactJson({ a: 1 })).toBe('{"a":1}');
  });

  it('treats regular-expression characters in values literally', () => {
    const tricky = createRedactor({ T: 'a.b*c(d)' });
    expect(tricky.redact('aXbbc(d) a.b*c(d)')).toBe('aXbbc(d) [REDACTED:T]');
  });
});

describe('createRedactor: encoded forms (issue 10, defect 6)', () => {
  const SECRET = 'sk-Live_9f8E7d!(x)';
  const TOKEN = 'tok3n-Quux.Zap';
  const redactor = createRedactor({ SECRET, TOKEN });
  const bytes = Buffer.from(SECRET, 'utf8');

  it('catches hex of the value in either case', () => {
    const hex = bytes.toString('hex');
    expect(redactor.redact(`dump: ${hex}.`)).toBe('dump: [REDACTED:SECRET].');
    expect(redactor.redact(`DUMP: ${hex.toUpperCase()}.`)).toBe('DUMP: [REDACTED:SECRET].');
  });

  it.each([1, 2, 3, 4, 5])('catches base64 of the value %i bytes into a longer buffer, standard and URL-safe', (offset) => {
    const encoded = Buffer.concat([Buffer.from('\xfb\xff\xfe\xfa\xff'.slice(0, offset), 'latin1'), bytes, Buffer.from([0xfb, 0xff])]).toString('base64');
    for (const text of [encoded, encoded.replace(/\+/g, '-').replace(/\//g, '_')]) {
      // What remains are the characters that also carry the neighbours' bits.
      const first = Math.ceil((8 * offset) / 6);
      const end = Math.floor((8 * (offset + bytes.length)) / 6);
      expect(redactor.redact(`data=${text}`)).toBe(`data=${text.slice(0, first)}[REDACTED:SECRET]${text.slice(end)}`);
    }
  });

  it("catches percent-encoding of characters encodeURIComponent keeps (Python's quote(safe=''), quote_plus)", () => {
    const secret = createRedactor({ PW: 'pa ss!word(1)*' });
    expect(secret.redact('q=pa%20ss%21word%281%29%2A&x')).toBe('q=[REDACTED:PW]&x'); // quote(value, safe='')
    expect(secret.redact('q=pa+ss%21word%281%29%2A&x')).toBe('q=[REDACTED:PW]&x'); // quote_plus(value)
    expect(secret.redact('q=pa%20ss!word(1)*&x')).toBe('q=[REDACTED:PW]&x'); // encodeURIComponent(value)
    expect(createRedactor({ K: 'a/b:c@d' }).redact('u=a%2fb%3ac%40d')).toBe('u=[REDACTED:K]'); // lower-case escapes
  });

  it('catches the value upper- or lower-cased', () => {
    expect(redactor.redact(`X-KEY: ${SECRET.toUpperCase()}`)).toBe('X-KEY: [REDACTED:SECRET]');
    expect(redactor.redact(`x-key: ${TOKEN.toLowerCase()}`)).toBe('x-key: [REDACTED:TOKEN]');
  });

  it('catches a value folded across lines: base64 wrapped at 76 columns, CRLF, indentation, JSON-escaped', () => {
    const long = createRedactor({ PEM: 'k'.repeat(20) + 'Zq8vN3pL0wYt-'.repeat(5) });
    const wrapped = Buffer.from('k'.repeat(20) + 'Zq8vN3pL0wYt-'.repeat(5)).toString('base64').replace(/.{76}/g, '$&\n');
    expect(wrapped).toContain('\n');
    expect(long.redact(`-----BEGIN-----\n${wrapped}\n-----END-----`)).toBe('-----BEGIN-----\n[REDACTED:PEM]\n-----END-----');
    expect(redactor.redact(`key: sk-Live_9f\r\n    8E7d!(x) end`)).toBe('key: [REDACTED:SECRET] end');
    expect(redactor.redact(`${TOKEN.slice(0, 5)}\n${TOKEN.slice(5)}`)).toBe('[REDACTED:TOKEN]');
    expect(redactor.redactJson({ out: `${TOKEN.slice(0, 3)}\n\t${TOKEN.slice(3)}` })).toBe('{"out":"[REDACTED:TOKEN]"}');
  });

  it('does not join across two line breaks or other separators', () => {
    expect(redactor.redact(`${TOKEN.slice(0, 5)}\n\n${TOKEN.slice(5)}`)).toBe(`${TOKEN.slice(0, 5)}\n\n${TOKEN.slice(5)}`);
    expect(redactor.redact(`${TOKEN.slice(0, 5)}-${TOKEN.slice(5)}`)).toBe(`${TOKEN.slice(0, 5)}-${TOKEN.slice(5)}`);
  });

  it('still leaves values under 4 characters alone in every form', () => {
    const short = createRedactor({ PIN: 'a!c' });
    expect(short.ignored).toEqual(['PIN']);
    for (const text of ['a!c', 'A!C', '612163', 'YSFj', 'a%21c']) expect(short.redact(text)).toBe(text);
  });
});
