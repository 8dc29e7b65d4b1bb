// Redaction cost: building a redactor for 10 secrets (every encoded form of each), then
// redacting 1 MB of mixed text (prose, JSON, base64 and hex blobs, wrapped lines) that
// holds each secret a few times in several forms, and streaming a 16 MB result file
// through the file redactor in 64 KB chunks. References in the same run: the previous
// design (one regular expression of six literal forms per secret) on the same text, and
// the same chunks through a pass-through stream that only hashes them (what result
// collection did before). Median of RUNS runs after WARMUP.
// Run: node --import tsx bench/redact.mjs [runs]
import { createHash, randomBytes } from 'node:crypto';
import { Readable, Transform, Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { createFileRedactor } from '../electron/engine/store/file-redaction.ts';
import { createRedactor } from '../electron/engine/store/redactor.ts';

const RUNS = Math.min(Number(process.argv[2] ?? 20), 200);
const WARMUP = 3;
const MB = 1024 * 1024;

const secrets = Object.fromEntries(Array.from({ length: 10 }, (_, i) => [`SECRET_${i}`, randomBytes(18 + i).toString('base64url')]));
const values = Object.values(secrets);

/** ~`size` characters of mixed text; every 64 KB one secret in one of its forms. */
function mixedText(size) {
  const parts = [];
  let length = 0;
  for (let i = 0; length < size; i++) {
    const piece = [
      'The quick brown fox jumps over the lazy dog; résumé, naïve, 東京.\n',
      `{"id": ${i}, "path": "/app/results/file-${i}.json", "ok": true}\n`,
      `${randomBytes(57).toString('base64')}\n`,
      `${randomBytes(24).toString('hex')}\n`,
    ][i % 4];
    parts.push(piece);
    length += piece.length;
    if (i % 1000 === 999) {
      const value = values[(i / 1000) % values.length | 0];
      const form = [value, Buffer.from(value).toString('hex'), Buffer.from(`x${value}`).toString('base64'), encodeURIComponent(value).toUpperCase()][i % 4 | 0];
      parts.push(`${form.slice(0, 7)}\n  ${form.slice(7)}\n`);
    }
  }
  return parts.join('').slice(0, size);
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
function time(fn) {
  const samples = [];
  for (let i = 0; i < WARMUP + RUNS; i++) {
    const start = process.hrtime.bigint();
    fn();
    if (i >= WARMUP) samples.push(Number(process.hrtime.bigint() - start) / 1e6);
  }
  return median(samples);
}
async function timeAsync(fn) {
  const samples = [];
  for (let i = 0; i < WARMUP + Math.min(RUNS, 10); i++) {
    const start = process.hrtime.bigint();
    await fn();
    if (i >= WARMUP) samples.push(Number(process.hrtime.bigint() - start) / 1e6);
  }
  return median(samples);
}

const build = time(() => createRedactor(secrets));
const redactor = createRedactor(secrets);
const text = mixedText(MB);
const redacted = redactor.redact(text);
const markers = redacted.match(/\[REDACTED:SECRET_\d\]/g)?.length ?? 0;
const redact = time(() => redactor.redact(text));
const clean = mixedText(MB).replace(/\n {2}/g, '\n');
const cleanRedactor = createRedactor(Object.fromEntries(Object.keys(secrets).map((k) => [k, randomBytes(20).toString('base64url')])));
const redactClean = time(() => cleanRedactor.redact(clean));

/** The previous redactor's matching: six literal forms per secret in one alternation. */
const escape = (text) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
const sixForms = (v) => {
  const b64 = Buffer.from(v).toString('base64');
  const unpadded = b64.replace(/=+$/, '');
  return [v, b64, unpadded, unpadded.replace(/\+/g, '-').replace(/\//g, '_'), encodeURIComponent(v), JSON.stringify(v).slice(1, -1)];
};
const previous = new RegExp([...new Set(values.flatMap(sixForms))].sort((a, b) => b.length - a.length).map(escape).join('|'), 'g');
const redactPrevious = time(() => text.replace(previous, '[REDACTED]'));

const file = Buffer.from(mixedText(16 * MB));
const chunks = Array.from({ length: Math.ceil(file.length / (64 * 1024)) }, (_, i) => file.subarray(i * 64 * 1024, (i + 1) * 64 * 1024));
const fileRedactor = createFileRedactor(secrets);
const stream = await timeAsync(() =>
  pipeline(Readable.from(chunks), fileRedactor.file().stream, new Writable({ write: (_chunk, _encoding, done) => done() })),
);

const copy = await timeAsync(() => {
  const hash = createHash('sha256');
  const meter = new Transform({ transform: (chunk, _encoding, done) => (hash.update(chunk), done(null, chunk)) });
  return pipeline(Readable.from(chunks), meter, new Writable({ write: (_chunk, _encoding, done) => done() }));
});

console.log(`build a redactor for 10 secrets:            ${build.toFixed(2)} ms`);
console.log(`redact 1 MB with 10 secrets (${markers} found):     ${redact.toFixed(1)} ms`);
console.log(`redact 1 MB holding none of them:            ${redactClean.toFixed(1)} ms`);
console.log(`  previous design (six literal forms, regex): ${redactPrevious.toFixed(1)} ms  → ratio ${(redact / redactPrevious).toFixed(2)}`);
console.log(`stream a 16 MB result file through redaction: ${stream.toFixed(0)} ms (${((16 * 1000) / stream).toFixed(0)} MB/s)`);
console.log(`  hash-only copy of the same chunks:          ${copy.toFixed(0)} ms  → ratio ${(stream / copy).toFixed(2)}`);
