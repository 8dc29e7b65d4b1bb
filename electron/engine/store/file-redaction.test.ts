import { Readable } from 'node:stream';
import { buffer } from 'node:stream/consumers';
import { describe, expect, it } from 'vitest';
import { createFileRedactor } from './file-redaction';
import { createRedactor } from './redactor';

const SECRET = 'sk-Live_9f8E7d!(x)';

/** Streams `chunks` through a fresh file redactor; the output and what it found. */
async function redactChunks(chunks: Buffer[], secrets: Record<string, string> = { API_KEY: SECRET }) {
  const file = createFileRedactor(secrets)!.file();
  const out = await buffer(Readable.from(chunks).pipe(file.stream));
  return { out, found: [...file.found], binary: file.binary };
}

describe('createFileRedactor', () => {
  it('redacts a secret split across two chunks at every cut, in every covered form', async () => {
    // Past the first 8000 bytes (read whole to tell text from binary), so chunks stream.
    const lead = 'lorem ipsum\n'.repeat(700);
    const text = `${lead}plain ${SECRET}\nhex ${Buffer.from(SECRET).toString('hex').toUpperCase()}\nb64 ${Buffer.from(`x${SECRET}`).toString('base64')}\n`;
    const bytes = Buffer.from(text);
    const whole = createRedactor({ API_KEY: SECRET }).redact(text);
    expect(whole).toBe(`${lead}plain [REDACTED:API_KEY]\nhex [REDACTED:API_KEY]\nb64 eH[REDACTED:API_KEY]Q==\n`);
    for (let cut = 8101; cut < bytes.length; cut++) {
      const { out, found, binary } = await redactChunks([bytes.subarray(0, 8100), bytes.subarray(8100, cut), bytes.subarray(cut)]);
      const redacted = out.toString('utf8');
      expect(redacted, `cut at ${cut}`).toBe(whole);
      expect(found).toEqual(['API_KEY']);
      expect(binary).toBe(false);
    }
  });

  it('passes text without secrets through byte for byte, invalid UTF-8 included', async () => {
    const bytes = Buffer.concat([Buffer.from('héllo '), Buffer.from([0xff, 0xfe, 0xc3]), Buffer.from(' wörld\n'.repeat(5000))]);
    const { out, found } = await redactChunks([bytes.subarray(0, 3), bytes.subarray(3, 20_000), bytes.subarray(20_000)]);
    expect(out.equals(bytes)).toBe(true);
    expect(found).toEqual([]);
  });

  it('overwrites a secret in a binary file in place, keeping its length and every other byte', async () => {
    const before = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x00, 0x00, 0x01]);
    const after = Buffer.from([0x00, 0xff, 0x10]);
    const bytes = Buffer.concat([before, Buffer.from(SECRET), after]);
    const { out, found, binary } = await redactChunks([bytes.subarray(0, 9), bytes.subarray(9)]);
    expect(binary).toBe(true);
    expect(found).toEqual(['API_KEY']);
    expect(out.length).toBe(bytes.length);
    expect(out.subarray(0, before.length).equals(before)).toBe(true);
    expect(out.subarray(out.length - after.length).equals(after)).toBe(true);
    expect(out.subarray(before.length, before.length + SECRET.length).toString()).toBe('[REDACTED:API_KEY]'.padEnd(SECRET.length, '*').slice(0, SECRET.length));
    expect(out.includes(Buffer.from(SECRET))).toBe(false);
  });

  it('finds a secret whose bytes are not ASCII', async () => {
    const { out, found } = await redactChunks([Buffer.from('pw=pässwörd-ü')], { PW: 'pässwörd-ü' });
    expect(out.toString('utf8')).toBe('pw=[REDACTED:PW]');
    expect(found).toEqual(['PW']);
  });

  it('is not built for secrets too short to redact', () => {
    expect(createFileRedactor({ PIN: '123' })).toBeNull();
  });
});
