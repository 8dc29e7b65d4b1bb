// Full-text search over trajectories (store/search-index.ts, migration 12).
//
// 1. What indexing costs the append path: events appended per second through the store's
//    EventWriter (which now indexes each event's redacted text in the same transaction) vs a
//    raw better-sqlite3 loop inserting the same rows without an index — bench/store.mjs's
//    ratio, measured the same way (fresh file per round, rounds alternating the order,
//    median of per-round ratios). bench/store.mjs measured store/raw 0.94–0.96 before
//    the index existed.
// 2. A store of `trajectories` × `events per trajectory` events written through the
//    EventWriter (the time to write and index them, and the file's size), then the list's
//    queries over all of it: a word in one trajectory, a word in 1% of them, a word in
//    every one, two words, a prefix as typed, and those with the list's filters.
//
// Run: node --import tsx bench/search.mjs [trajectories] [events-per-trajectory] [rounds]
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { openStore } from '../electron/engine/store/index.ts';
import { appendRates } from './append-rate.mjs';

const TRAJECTORIES = Number(process.argv[2] ?? 10_000);
const PER_TRAJECTORY = Number(process.argv[3] ?? 100);
const ROUNDS = Number(process.argv[4] ?? 7);
const APPEND_EVENTS = Math.min(30_000, TRAJECTORIES * PER_TRAJECTORY);
const BATCH = 256;

const dir = mkdtempSync(path.join(os.tmpdir(), 'jetty-bench-search-'));

// A vocabulary with a long tail, so the index has many distinct terms, as real logs do.
const COMMON = 'the a to of and in is for on with file run test build error warning ok done write read install package module step result report'.split(' ');
const TAIL = Array.from({ length: 4000 }, (_, i) => `w${(i * 2654435761 >>> 0).toString(36).slice(0, 6)}`);
let seed = 7;
const rand = () => ((seed = (seed * 1103515245 + 12345) >>> 0) / 2 ** 32);
const words = (n) => Array.from({ length: n }, () => (rand() < 0.6 ? COMMON[(rand() * COMMON.length) | 0] : TAIL[(rand() ** 2 * TAIL.length) | 0])).join(' ');

/** The i-th event of trajectory t: mostly command output (~300 bytes), tool calls and results, messages; t's own rare word in its 10th event, a 1% word in its 20th. */
function eventOf(t, i) {
  const marker = i === 10 ? ` zq${t.toString(36)}x` : i === 20 ? ` shard${t % 100}` : '';
  switch (i % 10) {
    case 0:
      return { level: 'info', type: 'tool_call', step: null, payload: { id: `call_${i}`, name: 'bash', arguments: { command: `grep -rn ${words(3)} /app${marker}` } } };
    case 1:
      return { level: 'info', type: 'tool_result', step: null, payload: { id: `call_${i - 1}`, name: 'bash', ok: true, output: `${words(30)}\n[exit code 0]` } };
    case 2:
      return { level: 'info', type: 'message', step: null, payload: { role: 'assistant', text: `${words(25)}${marker}` } };
    default:
      return { level: 'info', type: 'command_output', step: null, payload: { stream: 'stdout', text: `${words(45)}${marker}\n`, tool_call_id: `call_${i - (i % 10)}` } };
  }
}

// --- 1. the append rate, with and without the index -------------------------------------

const append = appendRates(dir, { events: APPEND_EVENTS, batch: BATCH, eventAt: (i) => eventOf(1, i + 1) });

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const fmt = (n) => Math.round(n).toLocaleString('en');
const rates = { raw: [], store: [] };
append.raw();
append.store();
for (let round = 0; round < ROUNDS; round++) {
  for (const name of round % 2 ? ['store', 'raw'] : ['raw', 'store']) rates[name].push(name === 'raw' ? append.raw() : append.store());
}
const ratio = median(rates.store.map((rate, i) => rate / rates.raw[i]));
console.log(`append: ${APPEND_EVENTS} events per round, batch ${BATCH}, ${ROUNDS} rounds (medians)`);
console.log(`  raw better-sqlite3, no index     ${fmt(median(rates.raw))} events/s`);
console.log(`  store EventWriter, indexing      ${fmt(median(rates.store))} events/s`);
console.log(`  store+index/raw                  ${ratio.toFixed(2)} (median per-round ratio; before the index: 0.94–0.96, bench/store.mjs)`);

// --- 2. a large store, and the queries over it -------------------------------------------

const file = path.join(dir, 'big.db');
const store = openStore(file);
const ids = [];
const started = process.hrtime.bigint();
for (let t = 0; t < TRAJECTORIES; t++) {
  const { id } = store.createTrajectory({ collection: 'bench', task: `task-${t % 50}`, kind: 'runbook', status: 'completed', agent: t % 3 ? 'builtin' : 'codex', model: 'scripted' });
  ids.push(id);
  const writer = store.eventWriter(id, { maxBatch: BATCH, flushIntervalMs: 60_000 });
  for (let i = 1; i <= PER_TRAJECTORY; i++) writer.append(eventOf(t, i));
  writer.close();
}
const writeSeconds = Number(process.hrtime.bigint() - started) / 1e9;
store.checkpoint();
const events = TRAJECTORIES * PER_TRAJECTORY;
console.log(`store: ${fmt(TRAJECTORIES)} trajectories, ${fmt(events)} events written and indexed in ${writeSeconds.toFixed(1)} s (${fmt(events / writeSeconds)} events/s), file ${(statSync(file).size / 2 ** 20).toFixed(0)} MiB`);

const target = Math.floor(TRAJECTORIES / 2);
const QUERIES = [
  [`one trajectory's word`, { text: `zq${target.toString(36)}x` }],
  ['a word in 1% of them', { text: 'shard42' }],
  ['a word in every one', { text: 'install' }],
  ['two words', { text: 'install shard42' }],
  ['a prefix, as typed', { text: 'shar' }],
  ['1% word, failed first, codex only', { text: 'shard42', agent: 'codex', sort: 'failed_first' }],
  ['1% word, top level, by tokens', { text: 'shard42', topLevel: true, orderBy: 'tokens' }],
  ['no text (the list as before)', {}],
];
console.log('query (limit 50: the page, its total, where each matched), median of 7 after one warm-up:');
for (const [name, query] of QUERIES) {
  const times = [];
  let page;
  for (let i = 0; i < 8; i++) {
    const t0 = process.hrtime.bigint();
    page = store.listTrajectories({ ...query, limit: 50 });
    if (i > 0) times.push(Number(process.hrtime.bigint() - t0) / 1e6);
  }
  console.log(`  ${name.padEnd(36)} ${median(times).toFixed(1).padStart(7)} ms  (${fmt(page.total)} matching)`);
}
store.close();
rmSync(dir, { recursive: true, force: true });
