// Durable event appends per second: the store's EventWriter (redaction check, seq
// assignment, buffering, batched transactions) vs a raw better-sqlite3 loop inserting
// the same rows into the same schema with the same pragmas and batch size, in one run.
// Run: node --import tsx bench/store.mjs [events-per-round] [rounds]
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { appendRates } from './append-rate.mjs';

const EVENTS = Number(process.argv[2] ?? 30_000);
const ROUNDS = Number(process.argv[3] ?? 11);
const BATCH = 256;
const SECRETS = { API_KEY: 'sk-bench-0123456789abcdef', DB_PASSWORD: 'correct horse battery', TOKEN: 'ghp_bench_token_42' };

const dir = mkdtempSync(path.join(os.tmpdir(), 'jetty-bench-store-'));
/** A typical agent event: a tool's output of a few hundred bytes. */
const eventAt = (i) => ({
  level: 'info',
  type: 'command_output',
  step: 'build',
  payload: { stream: 'stdout', text: `line ${i}: compiling module ${i % 97} ... ok `.repeat(6), exit_code: null },
});

const rates = appendRates(dir, { events: EVENTS, batch: BATCH, eventAt });

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const results = { raw: [], store: [], secrets: [] };
rates.raw(); // warm-up: JIT, page cache
rates.store();
for (let round = 0; round < ROUNDS; round++) {
  // Alternate the order so neither side always runs on a warmer or cooler machine.
  const order = round % 2 ? ['store', 'raw', 'secrets'] : ['raw', 'secrets', 'store'];
  for (const name of order) {
    results[name].push(name === 'raw' ? rates.raw() : rates.store(name === 'secrets' ? SECRETS : undefined));
  }
}
rmSync(dir, { recursive: true, force: true });

const raw = median(results.raw);
const store = median(results.store);
const secrets = median(results.secrets);
// Each round measures both sides back to back, so the per-round ratio cancels most of
// the load other jobs put on the machine; its median is the headline figure.
const ratio = (name) => median(results[name].map((rate, i) => rate / results.raw[i]));
const fmt = (n) => Math.round(n).toLocaleString('en');
console.log(`events per round ${EVENTS}, batch ${BATCH}, rounds ${ROUNDS} (medians)`);
console.log(`raw better-sqlite3         ${fmt(raw)} events/s  (${(1000 / raw).toFixed(4)} ms/event)`);
console.log(`store EventWriter          ${fmt(store)} events/s  (${(1000 / store).toFixed(4)} ms/event)`);
console.log(`store, 3 secrets redacted  ${fmt(secrets)} events/s  (${(1000 / secrets).toFixed(4)} ms/event)`);
console.log(`store/raw                  ${ratio('store').toFixed(2)} (median per-round ratio; ratio of medians ${(store / raw).toFixed(2)})`);
console.log(`store+secrets/raw          ${ratio('secrets').toFixed(2)} (median per-round ratio; ratio of medians ${(secrets / raw).toFixed(2)})`);
