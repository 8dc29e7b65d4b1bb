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
